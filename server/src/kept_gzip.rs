//! A kept page with holes where its CSP nonce goes, as text and compressed
//! once. Each showing of a kept page carries a nonce of its own, which would
//! otherwise mean compressing the page again for every visitor (gzip costs
//! ten times the rest of a kept page's showing). Each piece of text between
//! nonces is deflated once by an encoder of its own (so nothing refers back
//! into an earlier piece), ending on a sync flush (byte-aligned), so that a
//! showing only writes the new nonce in between as stored (uncompressed)
//! blocks and the gzip trailer's checksum: a valid gzip stream (RFC 1951
//! §3.2.4, RFC 1952) that any browser inflates.
use axum::body::Bytes;
use flate2::{write::DeflateEncoder, Compression};
use std::io::Write;

/// The 10-byte gzip header: deflate, no name, no time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

#[derive(Debug)]
pub struct Holed {
    /// The pieces of the text around the holes (one more than holes).
    texts: Vec<Bytes>,
    /// The same pieces deflated.
    pieces: Vec<Vec<u8>>,
}

impl Holed {
    /// `text` cut and compressed around every occurrence of `hole`; `None` if
    /// deflating fails (the page is then compressed per showing).
    pub fn new(text: &str, hole: &str) -> Option<Holed> {
        let texts: Vec<Bytes> = if hole.is_empty() {
            vec![Bytes::copy_from_slice(text.as_bytes())]
        } else {
            text.split(hole)
                .map(|p| Bytes::copy_from_slice(p.as_bytes()))
                .collect()
        };
        let last = texts.len() - 1;
        let pieces = texts
            .iter()
            .enumerate()
            .map(|(i, piece)| deflate(piece, i == last).ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Holed { texts, pieces })
    }

    /// The text with `fill` in every hole.
    pub fn plain(&self, fill: &str) -> Bytes {
        match &self.texts[..] {
            [whole] => whole.clone(),
            texts => Bytes::from(texts.join(fill.as_bytes())),
        }
    }

    /// The gzip stream of the text with `fill` in every hole.
    pub fn gzipped(&self, fill: &str) -> Vec<u8> {
        let fill = fill.as_bytes();
        let holes = self.pieces.len() - 1;
        let size: usize = self.pieces.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(HEADER.len() + size + holes * (fill.len() + 5) + 8);
        out.extend_from_slice(&HEADER);
        let mut crc = crc32fast::Hasher::new();
        let mut length = 0usize;
        for (i, (piece, text)) in self.pieces.iter().zip(&self.texts).enumerate() {
            out.extend_from_slice(piece);
            crc.update(text);
            length += text.len();
            if i < holes {
                stored(&mut out, fill);
                crc.update(fill);
                length += fill.len();
            }
        }
        out.extend_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE is the length modulo 2^32.
        out.extend_from_slice(&(length as u32).to_le_bytes());
        out
    }
}

/// Raw deflate of one piece: the last one ends the stream, the others end on
/// a sync flush (byte-aligned, not final).
fn deflate(piece: &[u8], last: bool) -> std::io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(piece)?;
    if last {
        return encoder.finish();
    }
    encoder.flush()?;
    // Taken before the encoder is dropped, which would end the stream.
    Ok(std::mem::take(encoder.get_mut()))
}

/// `bytes` as stored blocks (not final), each at most 65,535 bytes long.
fn stored(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in bytes.chunks(u16::MAX as usize) {
        let len = chunk.len() as u16;
        // BFINAL 0, BTYPE 00, padded to the byte (the stream is byte-aligned).
        out.push(0);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::io::Read;

    pub fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .expect("a valid gzip stream");
        text
    }

    #[test]
    fn each_showing_inflates_to_the_page_with_its_own_nonce() {
        let page = "<html><script nonce=\"OLD\">a()</script>".to_string()
            + &"<li><a href=\"/proposals/1\">Mapa de arbolado</a></li>".repeat(50)
            + "<p>fin</p><script nonce=\"OLD\"></script>";
        let holed = Holed::new(&page, "OLD").expect("deflated");
        for fill in ["n3w-nonce-value", "", "OLD"] {
            assert_eq!(gunzip(&holed.gzipped(fill)), page.replace("OLD", fill));
            assert_eq!(holed.plain(fill), page.replace("OLD", fill));
        }
        // Compressed, not just stored.
        assert!(holed.gzipped("x").len() < page.len() / 4);
    }

    #[test]
    fn pages_without_the_nonce_and_large_fills() {
        let holed = Holed::new("sin nada que cambiar", "OLD").unwrap();
        assert_eq!(gunzip(&holed.gzipped("x")), "sin nada que cambiar");
        let holed = Holed::new("OLDmiddleOLD", "OLD").unwrap();
        let big = "z".repeat(70_000);
        assert_eq!(gunzip(&holed.gzipped(&big)), format!("{big}middle{big}"));
        let empty = Holed::new("", "OLD").unwrap();
        assert_eq!(gunzip(&empty.gzipped("x")), "");
    }
}

//! Who files and reviews progress, and which files are taken as evidence.
#[cfg(feature = "ssr")]
use super::model::FILE_BYTES_MAX;
use crate::accounts::model::CurrentUser;
use crate::accounts::rules::signed_in;
use crate::error::{AppError, AppResult};

/// The team, or a member of one of the commitment's lead agencies (those that
/// presented at its roundtable). Returns the agency filed for (`None` for the
/// team).
pub fn file<'a>(
    user: Option<&'a CurrentUser>,
    lead_agencies: &[i64],
) -> AppResult<(&'a CurrentUser, Option<i64>)> {
    let user = signed_in(user)?;
    if let Some(agency) = user.agency_ids.iter().find(|a| lead_agencies.contains(a)) {
        return Ok((user, Some(*agency)));
    }
    if user.is_facilitator() {
        return Ok((user, None));
    }
    Err(AppError::Forbidden)
}

/// The team publishes updates or sends them back.
pub fn review(user: Option<&CurrentUser>) -> AppResult<&CurrentUser> {
    crate::processes::rules::manage_processes(user)
}

#[cfg(feature = "ssr")]
/// Kinds of evidence file taken, by what their bytes are (never by what the
/// sender said): (content type, file name extensions it may carry).
const ACCEPTED: &[(&str, &[&str])] = &[
    ("application/pdf", &["pdf"]),
    ("image/png", &["png"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        &["pptx"],
    ),
    ("application/vnd.oasis.opendocument.text", &["odt"]),
    ("application/vnd.oasis.opendocument.spreadsheet", &["ods"]),
    ("application/vnd.oasis.opendocument.presentation", &["odp"]),
    ("application/msword", &["doc"]),
    ("application/vnd.ms-excel", &["xls"]),
    ("application/vnd.ms-powerpoint", &["ppt"]),
];

/// A file name as sent, if it is a plain name: no folder, no control
/// character, not hidden, not too long.
pub fn plain_file_name(name: &str) -> Option<&str> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.chars().count() > 200
        || name.starts_with('.')
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control);
    (!bad).then_some(name)
}

#[cfg(feature = "ssr")]
/// The content type of an evidence file, judged by its bytes and checked
/// against its name's extension, or the catalog key of why it is refused.
pub fn evidence_type(name: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("evidence.empty");
    }
    if bytes.len() > FILE_BYTES_MAX {
        return Err("evidence.too_big");
    }
    let Some(name) = plain_file_name(name) else {
        return Err("evidence.bad_name");
    };
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let sniffed = infer::get(bytes).map(|k| k.mime_type());
    ACCEPTED
        .iter()
        .find(|(kind, _)| Some(*kind) == sniffed)
        .filter(|(_, extensions)| extensions.contains(&extension.as_str()))
        .map(|(kind, _)| *kind)
        .ok_or("evidence.bad_type")
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn files_are_judged_by_their_bytes() {
        let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
        assert_eq!(evidence_type("informe.pdf", pdf), Ok("application/pdf"));
        assert_eq!(evidence_type("INFORME.PDF", pdf), Ok("application/pdf"));
        // Text claiming to be a PDF, and a PDF claiming to be a picture.
        assert_eq!(
            evidence_type("informe.pdf", b"<script>alert(1)</script>"),
            Err("evidence.bad_type")
        );
        assert_eq!(evidence_type("foto.png", pdf), Err("evidence.bad_type"));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(evidence_type("foto.png", png), Ok("image/png"));
        assert_eq!(evidence_type("foto.png", b""), Err("evidence.empty"));
        for name in [
            "../foto.png",
            "a/b.png",
            "a\\b.png",
            ".png",
            "c:foto.png",
            "a\nb.png",
        ] {
            assert_eq!(evidence_type(name, png), Err("evidence.bad_name"), "{name}");
        }
        let big = vec![0u8; FILE_BYTES_MAX + 1];
        assert_eq!(evidence_type("x.pdf", &big), Err("evidence.too_big"));
    }
}

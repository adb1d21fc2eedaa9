//! A real SMTP server for tests: Python's aiosmtpd on a loopback port, storing
//! each received message in a maildir that the test reads.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    _child: Child,
}

impl SmtpServer {
    pub async fn start(maildir: &Path) -> SmtpServer {
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let port = free_port();
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start aiosmtpd (python3-aiosmtpd; .ci/setup test installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return SmtpServer {
                    port,
                    maildir: maildir.to_path_buf(),
                    _child: child,
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("SMTP server did not start on port {port}");
    }

    /// Messages received so far, as raw text, but for the address
    /// confirmations every sign-up sends (`confirmations` has those).
    pub fn messages(&self) -> Vec<String> {
        self.all_messages()
            .into_iter()
            .filter(|m| !is_confirmation(m))
            .collect()
    }

    /// The address confirmations received so far.
    pub fn confirmations(&self) -> Vec<String> {
        self.all_messages()
            .into_iter()
            .filter(|m| is_confirmation(m))
            .collect()
    }

    /// Every message received so far, as raw text.
    pub fn all_messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    if let Ok(text) = std::fs::read_to_string(e.path()) {
                        out.push(text);
                    }
                }
            }
        }
        out
    }

    /// Waits up to 10 s for a message to `to`, and returns it (headers and body).
    pub async fn wait_for(&self, to: &str) -> String {
        for _ in 0..200 {
            if let Some(m) = self.messages().into_iter().find(|m| m.contains(to)) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no message to {to} arrived; got {} others",
            self.messages().len()
        );
    }
}

fn is_confirmation(message: &str) -> bool {
    body_of(message).contains("/confirm-email?token=")
}

/// The token of the confirmation link in a message.
pub fn confirmation_token(message: &str) -> Option<String> {
    let body = body_of(message);
    let after = body.split("/confirm-email?token=").nth(1)?;
    Some(after.split_whitespace().next()?.to_string())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The body of a message, decoded from quoted-printable if needed.
pub fn body_of(message: &str) -> String {
    let body = message
        .split_once("\n\n")
        .or_else(|| message.split_once("\r\n\r\n"))
        .map(|(_, b)| b)
        .unwrap_or("");
    if message
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable")
    {
        decode_qp(body)
    } else if message
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine;
        let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(clean)
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).to_string()
    } else {
        body.to_string()
    }
}

fn decode_qp(s: &str) -> String {
    let bytes =
        quoted_printable::decode(s, quoted_printable::ParseMode::Robust).unwrap_or_default();
    String::from_utf8_lossy(&bytes).to_string()
}

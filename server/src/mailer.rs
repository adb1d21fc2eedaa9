//! Mail delivery: SMTP in production and tests, a folder of .eml files in development.
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, Message, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(PathBuf),
}

impl Mailer {
    pub fn from_config(smtp_url: Option<&str>, mail_dir: PathBuf) -> anyhow::Result<Mailer> {
        Ok(match smtp_url {
            Some(url) => Mailer::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build()),
            None => Mailer::Folder(mail_dir),
        })
    }

    pub async fn send(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
        attachment: Option<&app::mail::MailAttachment>,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<()> {
        let mut builder = Message::builder()
            .from(from.parse::<Mailbox>()?)
            .to(to.parse::<Mailbox>()?)
            .subject(subject);
        // One-click unsubscribe (RFC 8058): mail programs offer it and POST to it.
        if let Some(url) = unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_string(),
                ));
        }
        let message = match attachment {
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_string())?,
            Some(a) => builder.multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body.to_string()))
                    .singlepart(
                        Attachment::new(a.name.clone())
                            .body(a.body.clone(), ContentType::parse(&a.content_type)?),
                    ),
            )?,
        };
        match self {
            Mailer::Smtp(transport) => {
                transport.send(message).await?;
            }
            Mailer::Folder(dir) => {
                tokio::fs::create_dir_all(dir).await?;
                let stamp = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
                let path = dir.join(format!("{stamp}.eml"));
                tokio::fs::write(&path, message.formatted()).await?;
                tracing::info!(path = %path.display(), %to, "mail written to folder");
            }
        }
        Ok(())
    }
}

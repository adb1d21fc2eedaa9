//! The iCalendar file (RFC 5545) of a roundtable, sent with the registration email
//! and downloadable by the people who may join.

pub struct CalendarEvent<'a> {
    pub uid: String,
    /// UTC seconds.
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub url: &'a str,
}

fn utc(epoch: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(epoch)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Escapes a TEXT value.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub fn ics(e: &CalendarEvent<'_>, now: i64) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//cocrea//roundtables//ES".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", e.uid),
        format!("DTSTAMP:{}", utc(now)),
        format!("DTSTART:{}", utc(e.starts_at)),
        format!("DTEND:{}", utc(e.starts_at + e.duration_minutes * 60)),
        format!("SUMMARY:{}", text(e.title)),
        format!("DESCRIPTION:{}", text(e.description)),
        format!("LOCATION:{}", text(e.location)),
        format!("URL:{}", e.url),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_in_utc_escaped_and_folded() {
        let e = CalendarEvent {
            uid: "roundtable-7@example.org".into(),
            // 2021-05-12 18:00 at UTC−3 is 21:00 UTC.
            starts_at: 1_620_853_200,
            duration_minutes: 90,
            title: "Mesa de Ambiente; arbolado, datos",
            description: &"ñ".repeat(60),
            location: "https://meet.example.org/x",
            url: "https://cocrea.example.org/roundtables/7",
        };
        let s = ics(&e, 0);
        assert!(s.contains("DTSTART:20210512T210000Z\r\n"));
        assert!(s.contains("DTEND:20210512T223000Z\r\n"));
        assert!(s.contains("SUMMARY:Mesa de Ambiente\\; arbolado\\, datos\r\n"));
        assert!(s.lines().all(|l| l.len() <= 75), "{s}");
        assert!(s.contains("\r\n ñ"), "folded between characters");
        assert!(s.ends_with("END:VCALENDAR\r\n"));
    }
}

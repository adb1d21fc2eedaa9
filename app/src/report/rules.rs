//! Who reads the report: anyone. It is made only of published figures (held
//! answers, drafts' contents, unpublished progress and emails never enter it);
//! organizations are named, people only counted.

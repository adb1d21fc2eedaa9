//! Boards, columns, notes and board events. Shared by server and browser.
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub id: i64,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub column_id: i64,
    pub body: String,
    /// `None` for notes written in anonymous mode.
    pub author: Option<String>,
    /// Written by the person viewing (filled in per viewer, never stored).
    #[serde(default)]
    pub mine: bool,
    /// Written in private and not revealed yet: only its author and the team get it.
    #[serde(default)]
    pub private: bool,
    /// Hidden by a facilitator: only the team gets it.
    #[serde(default)]
    pub hidden: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub id: i64,
    /// 1: questions and comments on the proposals; 2: the commitment template.
    pub number: i64,
    pub locked: bool,
    /// Each person sees only their own new notes until the facilitator reveals them.
    pub private_writing: bool,
    /// New notes carry no author.
    pub anonymous: bool,
    pub columns: Vec<Column>,
    pub notes: Vec<Note>,
}

/// Everything a browser needs to draw both boards, as of event `seq`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub roundtable_id: i64,
    pub title: String,
    pub seq: i64,
    pub boards: Vec<Board>,
    pub can_write: bool,
    pub can_facilitate: bool,
}

/// One change on a board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BoardEvent {
    /// A note added or edited.
    Note { board_id: i64, note: Note },
    /// A note deleted by its author or hidden by a facilitator.
    NoteDeleted { board_id: i64, note_id: i64 },
    Controls {
        board_id: i64,
        locked: bool,
        private_writing: bool,
        anonymous: bool,
    },
    /// The topic vote opened, changed or closed: read it again.
    Vote,
}

/// Who is looking, for what the server may send them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Viewer {
    pub id: Option<i64>,
    /// Facilitators see private and hidden notes (to moderate them).
    pub team: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequenced {
    pub seq: i64,
    pub event: BoardEvent,
}

/// One candidate topic of the vote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteOption {
    pub id: i64,
    pub label: String,
    /// `None` while results are hidden until the vote closes.
    pub dots: Option<i64>,
    /// The viewer's own dots on it.
    pub mine: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicVote {
    pub per_person: i64,
    pub show_live: bool,
    pub closed: bool,
    pub options: Vec<VoteOption>,
    /// Dots the viewer has left.
    pub left: i64,
}

/// The vote of a roundtable, as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteView {
    pub vote: Option<TopicVote>,
    pub chosen_topic: Option<String>,
    pub can_vote: bool,
    pub can_manage: bool,
}

pub const NOTE_MAX: usize = 1000;
pub const TOPIC_MAX: usize = 300;
pub const OPTIONS_MAX: usize = 30;
pub const DOTS_MAX: i64 = 10;
/// Most events sent at once after a reconnect; the rest follow.
pub const REPLAY_MAX: i64 = 500;

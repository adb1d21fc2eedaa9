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
    pub author: Option<String>,
    /// Written by the person viewing (filled in per viewer, never stored).
    #[serde(default)]
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub id: i64,
    /// 1: questions and comments on the proposals; 2: the commitment template.
    pub number: i64,
    pub locked: bool,
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
    Note {
        board_id: i64,
        note: Note,
    },
    NoteDeleted {
        board_id: i64,
        note_id: i64,
    },
    Locked {
        board_id: i64,
        locked: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequenced {
    pub seq: i64,
    pub event: BoardEvent,
}

pub const NOTE_MAX: usize = 1000;
/// Most events sent at once after a reconnect; the rest follow.
pub const REPLAY_MAX: i64 = 500;

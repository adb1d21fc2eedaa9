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
    /// The cluster a facilitator grouped it in.
    #[serde(default)]
    pub cluster_id: Option<i64>,
}

/// A group of notes on one board, named by a facilitator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: i64,
    pub label: String,
}

/// Where a roundtable is: presenting (board 1), choosing the topic, filling the
/// commitment template (board 2), or over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    PartA,
    Vote,
    PartB,
    Closed,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::PartA, Phase::Vote, Phase::PartB, Phase::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::PartA => "part_a",
            Phase::Vote => "vote",
            Phase::PartB => "part_b",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label_key(self) -> String {
        format!("phase.{}", self.as_str())
    }

    /// The phase after this one, if any.
    pub fn next(self) -> Option<Phase> {
        let i = Phase::ALL.iter().position(|p| *p == self)?;
        Phase::ALL.get(i + 1).copied()
    }
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
    pub clusters: Vec<Cluster>,
    pub notes: Vec<Note>,
}

/// Everything a browser needs to draw both boards, as of event `seq`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub roundtable_id: i64,
    pub title: String,
    pub seq: i64,
    pub phase: Phase,
    /// Seconds left on the shared countdown when the snapshot was taken.
    pub timer_left: Option<i64>,
    pub boards: Vec<Board>,
    pub can_write: bool,
    pub can_facilitate: bool,
}

impl Snapshot {
    /// Applies a change received live after this snapshot was read: a note
    /// that changed or went away, a phase, the countdown, a board's controls,
    /// columns or a new cluster. `false` when the change may bring notes this
    /// snapshot lacks (a reveal, a column gone, the vote): read again. So a
    /// facilitator's step does not send every screen to read the boards at once.
    pub fn apply(&mut self, e: &Sequenced) -> bool {
        if e.seq <= self.seq {
            return true; // already in the snapshot
        }
        let applied = match &e.event {
            BoardEvent::Note { board_id, note } => {
                let Some(board) = self.boards.iter_mut().find(|b| b.id == *board_id) else {
                    return false;
                };
                match board.notes.iter_mut().find(|n| n.id == note.id) {
                    Some(existing) => *existing = note.clone(),
                    None => {
                        let at = board.notes.partition_point(|n| n.id < note.id);
                        board.notes.insert(at, note.clone());
                    }
                }
                true
            }
            BoardEvent::NoteDeleted { board_id, note_id } => {
                match self.boards.iter_mut().find(|b| b.id == *board_id) {
                    Some(board) => {
                        board.notes.retain(|n| n.id != *note_id);
                        true
                    }
                    None => false,
                }
            }
            BoardEvent::Phase { phase } => {
                self.phase = *phase;
                // Closing stops the countdown without an event of its own.
                if *phase == Phase::Closed {
                    self.timer_left = None;
                }
                true
            }
            BoardEvent::Timer { seconds } => {
                self.timer_left = *seconds;
                true
            }
            BoardEvent::Controls {
                board_id,
                locked,
                private_writing,
                anonymous,
            } => match self.boards.iter_mut().find(|b| b.id == *board_id) {
                // A reveal brings others' notes this snapshot never had.
                Some(board) if !board.private_writing || *private_writing => {
                    board.locked = *locked;
                    board.private_writing = *private_writing;
                    board.anonymous = *anonymous;
                    true
                }
                _ => false,
            },
            BoardEvent::Columns { board_id, columns } => {
                match self.boards.iter_mut().find(|b| b.id == *board_id) {
                    // Only while every column stays: notes of one gone move or go.
                    Some(board)
                        if board
                            .columns
                            .iter()
                            .all(|old| columns.iter().any(|c| c.id == old.id)) =>
                    {
                        board.columns = columns.clone();
                        true
                    }
                    _ => false,
                }
            }
            BoardEvent::Cluster { board_id, cluster } => {
                match self.boards.iter_mut().find(|b| b.id == *board_id) {
                    Some(board) => {
                        if !board.clusters.iter().any(|c| c.id == cluster.id) {
                            board.clusters.push(cluster.clone());
                        }
                        true
                    }
                    None => false,
                }
            }
            // The vote is not part of the boards.
            BoardEvent::Vote { .. } | BoardEvent::Tally { .. } => false,
        };
        if applied {
            self.seq = e.seq;
        }
        applied
    }
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
    /// The topic vote opened or closed, as everyone may see it: a page puts it
    /// on screen with its own dots (so no page reads the vote at that instant).
    /// Events stored before it carried the vote have none: read it again.
    Vote {
        #[serde(default)]
        public: Option<PublicVote>,
    },
    /// A dot cast or taken back while results show live: every option's dots
    /// after it, put on screen as they come (a dot while results are hidden
    /// changes nothing anyone sees, and sends nothing).
    Tally { options: Vec<OptionDots> },
    /// A board's columns after a facilitator added, renamed or removed one.
    Columns { board_id: i64, columns: Vec<Column> },
    /// A cluster created on a board.
    Cluster { board_id: i64, cluster: Cluster },
    /// The roundtable moved to another phase.
    Phase { phase: Phase },
    /// The shared countdown started (seconds left when it was set) or stopped.
    Timer { seconds: Option<i64> },
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

/// An option's dots in a live tally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionDots {
    pub id: i64,
    pub dots: i64,
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
    /// The roundtable's last event number when the dots were counted: a live
    /// tally after it is newer than this read.
    #[serde(default)]
    pub seq: i64,
}

impl TopicVote {
    /// The dots shown on `option`: those of `tally` (the latest live tally, by
    /// event number) when it came after this read, else those read; none while
    /// results are hidden.
    pub fn dots_of(
        &self,
        option: &VoteOption,
        tally: Option<&(i64, Vec<OptionDots>)>,
    ) -> Option<i64> {
        let read = option.dots?;
        Some(match tally {
            Some((seq, options)) if *seq > self.seq => options
                .iter()
                .find(|o| o.id == option.id)
                .map_or(read, |o| o.dots),
            _ => read,
        })
    }
}

/// The vote as everyone sees it when it opens or closes: nobody's own dots in
/// it (`mine` 0, `left` all), counts only while shown live or once closed, and
/// `vote.seq` the number of the event that carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicVote {
    pub vote: TopicVote,
    pub chosen_topic: Option<String>,
}

/// The vote of a roundtable, as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteView {
    pub vote: Option<TopicVote>,
    pub chosen_topic: Option<String>,
    /// The roundtable's last event number when the vote was read: a vote
    /// pushed live after it is newer than this read.
    #[serde(default)]
    pub seq: i64,
    pub can_vote: bool,
    pub can_manage: bool,
    /// For the team before the vote opens: board 1's clusters and notes, as
    /// (id, label), to pick candidate topics from.
    #[serde(default)]
    pub cluster_choices: Vec<(i64, String)>,
    #[serde(default)]
    pub note_choices: Vec<(i64, String)>,
}

impl VoteView {
    /// This read with `pushed` (the latest vote an event carried) put over it
    /// when it came later: the viewer keeps their own dots on each option.
    pub fn with_pushed(mut self, pushed: Option<&PublicVote>) -> VoteView {
        let Some(p) = pushed.filter(|p| p.vote.seq > self.seq) else {
            return self;
        };
        let mut vote = p.vote.clone();
        let mine = |id| {
            self.vote
                .iter()
                .flat_map(|v| &v.options)
                .find(|o| o.id == id)
                .map_or(0, |o| o.mine)
        };
        for o in &mut vote.options {
            o.mine = mine(o.id);
        }
        vote.left = vote.per_person - vote.options.iter().map(|o| o.mine).sum::<i64>();
        self.seq = vote.seq;
        self.vote = Some(vote);
        self.chosen_topic = p.chosen_topic.clone();
        // The choices are for opening a vote, which is open now.
        self.cluster_choices.clear();
        self.note_choices.clear();
        self
    }
}

pub const NOTE_MAX: usize = 1000;
pub const COLUMN_MAX: usize = 200;
pub const COLUMNS_MAX: usize = 20;
pub const CLUSTER_MAX: usize = 120;
pub const TIMER_MAX_MINUTES: i64 = 180;
pub const TOPIC_MAX: usize = 300;
pub const OPTIONS_MAX: usize = 30;
pub const DOTS_MAX: i64 = 10;
/// Most events sent at once after a reconnect; the rest follow.
pub const REPLAY_MAX: i64 = 500;
/// Notes one board holds at most (a meeting of 50 writing 30 each), which bounds
/// the size of a board's snapshot.
pub const NOTES_MAX: i64 = 1500;

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: i64, body: &str) -> Note {
        Note {
            id,
            column_id: 1,
            body: body.into(),
            author: None,
            mine: false,
            private: false,
            hidden: false,
            cluster_id: None,
        }
    }

    /// A participant's snapshot at `seq` of one open board 7.
    fn snapshot(seq: i64, columns: Vec<Column>, notes: Vec<Note>) -> Snapshot {
        Snapshot {
            roundtable_id: 1,
            title: String::new(),
            seq,
            phase: Phase::PartA,
            timer_left: None,
            boards: vec![Board {
                id: 7,
                number: 1,
                locked: false,
                private_writing: false,
                anonymous: false,
                columns,
                clusters: vec![],
                notes,
            }],
            can_write: true,
            can_facilitate: false,
        }
    }

    #[test]
    fn live_notes_apply_in_order_once() {
        let mut s = snapshot(5, vec![], vec![note(2, "b"), note(4, "d")]);
        let at = |seq, event| Sequenced { seq, event };
        // Already in the snapshot: nothing changes.
        assert!(s.apply(&at(
            5,
            BoardEvent::NoteDeleted {
                board_id: 7,
                note_id: 2
            }
        )));
        assert_eq!(s.boards[0].notes.len(), 2);
        assert!(s.apply(&at(
            6,
            BoardEvent::Note {
                board_id: 7,
                note: note(3, "c")
            }
        )));
        assert!(s.apply(&at(
            7,
            BoardEvent::Note {
                board_id: 7,
                note: note(2, "b2")
            }
        )));
        assert!(s.apply(&at(
            8,
            BoardEvent::NoteDeleted {
                board_id: 7,
                note_id: 4
            }
        )));
        let bodies: Vec<&str> = s.boards[0].notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(bodies, ["b2", "c"]);
        assert_eq!(s.seq, 8);
        // The vote is read again.
        assert!(!s.apply(&at(9, BoardEvent::Vote { public: None })));
        assert_eq!(s.seq, 8);
    }

    #[test]
    fn a_facilitators_step_applies_in_place_unless_it_brings_notes() {
        let column = |id: i64| Column {
            id,
            title: format!("c{id}"),
        };
        let mut s = snapshot(1, vec![column(1), column(2)], vec![note(2, "b")]);
        let at = |seq, event| Sequenced { seq, event };
        assert!(s.apply(&at(2, BoardEvent::Timer { seconds: Some(300) })));
        assert_eq!(s.timer_left, Some(300));
        let controls = |locked, private_writing| BoardEvent::Controls {
            board_id: 7,
            locked,
            private_writing,
            anonymous: false,
        };
        assert!(s.apply(&at(3, controls(false, true))));
        assert!(s.boards[0].private_writing);
        // Revealing brings others' notes: read again.
        assert!(!s.apply(&at(4, controls(false, false))));
        assert!(s.boards[0].private_writing);
        assert_eq!(s.seq, 3);
        s.seq = 4; // as the fresh read would leave it
        s.boards[0].private_writing = false;
        let cluster = Cluster {
            id: 9,
            label: "Datos".into(),
        };
        assert!(s.apply(&at(
            5,
            BoardEvent::Cluster {
                board_id: 7,
                cluster: cluster.clone()
            }
        )));
        assert_eq!(s.boards[0].clusters, [cluster]);
        let renamed = vec![
            column(1),
            Column {
                id: 2,
                title: "Dudas".into(),
            },
            column(3),
        ];
        assert!(s.apply(&at(
            6,
            BoardEvent::Columns {
                board_id: 7,
                columns: renamed.clone()
            }
        )));
        assert_eq!(s.boards[0].columns, renamed);
        // A column gone takes its notes somewhere: read again.
        assert!(!s.apply(&at(
            7,
            BoardEvent::Columns {
                board_id: 7,
                columns: vec![column(1)]
            }
        )));
        let elsewhere = BoardEvent::Controls {
            board_id: 99,
            locked: true,
            private_writing: false,
            anonymous: false,
        };
        assert!(!s.apply(&at(7, elsewhere)));
        assert!(s.apply(&at(
            7,
            BoardEvent::Phase {
                phase: Phase::Closed
            }
        )));
        assert_eq!((s.phase, s.timer_left, s.seq), (Phase::Closed, None, 7));
    }

    #[test]
    fn a_live_tally_shows_only_when_newer_than_the_read_and_never_hidden_dots() {
        let option = |id, dots| VoteOption {
            id,
            label: format!("t{id}"),
            dots,
            mine: 0,
        };
        let vote = TopicVote {
            per_person: 3,
            show_live: true,
            closed: false,
            options: vec![option(1, Some(4)), option(2, Some(0))],
            left: 3,
            seq: 10,
        };
        let tally = |seq| (seq, vec![OptionDots { id: 1, dots: 5 }]);
        assert_eq!(vote.dots_of(&vote.options[0], None), Some(4));
        assert_eq!(vote.dots_of(&vote.options[0], Some(&tally(10))), Some(4));
        assert_eq!(vote.dots_of(&vote.options[0], Some(&tally(11))), Some(5));
        // An option the tally does not name keeps what was read.
        assert_eq!(vote.dots_of(&vote.options[1], Some(&tally(11))), Some(0));
        let hidden = option(1, None);
        assert_eq!(vote.dots_of(&hidden, Some(&tally(11))), None);
    }

    #[test]
    fn a_pushed_vote_covers_an_older_read_and_keeps_the_viewers_own_dots() {
        let option = |id, dots, mine| VoteOption {
            id,
            label: format!("t{id}"),
            dots,
            mine,
        };
        let vote = |closed, seq, options| TopicVote {
            per_person: 3,
            show_live: false,
            closed,
            options,
            left: 3,
            seq,
        };
        // Read while the vote was open, results hidden, two of the viewer's dots on 1.
        let mut read = VoteView {
            vote: Some(vote(false, 8, vec![option(1, None, 2), option(2, None, 0)])),
            chosen_topic: None,
            seq: 8,
            can_vote: true,
            can_manage: false,
            cluster_choices: vec![],
            note_choices: vec![],
        };
        read.vote.as_mut().unwrap().left = 1;
        let closing = PublicVote {
            vote: vote(true, 9, vec![option(1, Some(5), 0), option(2, Some(7), 0)]),
            chosen_topic: Some("t2".into()),
        };
        assert_eq!(read.clone().with_pushed(None), read);
        let stale = PublicVote {
            vote: vote(true, 8, vec![]),
            chosen_topic: None,
        };
        assert_eq!(read.clone().with_pushed(Some(&stale)), read, "not newer");
        let shown = read.clone().with_pushed(Some(&closing));
        let v = shown.vote.as_ref().unwrap();
        assert!(v.closed);
        assert_eq!((v.seq, shown.seq, v.left), (9, 9, 1));
        assert_eq!(v.options[0], option(1, Some(5), 2));
        assert_eq!(v.options[1], option(2, Some(7), 0));
        assert_eq!(shown.chosen_topic.as_deref(), Some("t2"));
        assert!(shown.can_vote);
        // A read before the vote opened, with the team's choices: the opening
        // covers it and the choices go.
        let before = VoteView {
            vote: None,
            seq: 3,
            can_manage: true,
            cluster_choices: vec![(1, "c".into())],
            ..read
        };
        let opening = PublicVote {
            vote: vote(false, 4, vec![option(1, None, 0)]),
            chosen_topic: None,
        };
        let shown = before.with_pushed(Some(&opening));
        assert_eq!(shown.vote.as_ref().map(|v| v.left), Some(3));
        assert!(shown.cluster_choices.is_empty());
    }
}

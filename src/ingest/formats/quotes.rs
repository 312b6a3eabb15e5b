//! Quoted text in replies: which lines of a post quote others rather than
//! say what its author says (see [`Article::quoted`](crate::Article)).
//!
//! - **Quoted lines**: after optional spaces, `>` (`> text`, `>> nested`,
//!   `>text`), or `|` then `>` (`|> text`, as some newsreaders wrote).
//! - **Attributions**, the lines that say whose words follow. A line that
//!   opens `In article <…>` (or `In <message id>`, `In message`, `From
//!   article <…>`) and ends, on it or within the next two lines, as an
//!   attribution does (in `:`, `...` or a verb of saying): one wherever it
//!   stands, since a reply often quotes nothing after it but `[deleted]`;
//!   so is a line that names an address and ends in a verb of saying and
//!   `:` or `...` (`jim@x.org (Jim) writes:`), however it quotes after.
//!   Any other line ending in a verb of saying (`Someone writes:`, `… wrote:`,
//!   `Jeff responds;`), or in `:` after an address or a message id
//!   (`pdb059@ipl.jpl.nasa.gov (Paul Bartholomew):`), when the next line
//!   that is not blank quotes. Each with the line before it if that one
//!   opens `On <a date>` (wrapped: `On Tue, 20 Apr 1993, Jane Doe` /
//!   `<jane@x> wrote:`).
//! - **Lines marked otherwise** (`: text`, as tin wrote, `| text`, `}text`,
//!   `]text`, `#text`) right after an attribution, for as long as the mark
//!   goes on. Elsewhere these marks open signatures, tables, code and lists
//!   as often as quotes, and are the author's.
//!
//! Blank lines between two quoted lines are quoted too, so a quote with its
//! attribution is one range. On 20news-mini (2,000 posts), whose replies
//! these rules were written from, 1,217 bodies quote something and 1,072
//! open with an attribution (742 of them `In article <…>`). Left the
//! author's: supercite's `JB> ` (initials, as a prompt `ftp> ` looks), an
//! attribution followed by text only indented, and the odd `-> `.

use std::ops::Range;

/// How many lines an attribution may be wrapped over.
const MAX_ATTRIBUTION_LINES: usize = 3;

/// Verbs that end an attribution (`John Smith writes:`), lowercase.
const SAYING: [&str; 44] = [
    "write",
    "writes",
    "wrote",
    "writ",
    "says",
    "said",
    "sez",
    "notes",
    "noted",
    "replies",
    "replied",
    "responds",
    "responded",
    "answers",
    "answered",
    "comments",
    "commented",
    "remarks",
    "remarked",
    "observes",
    "observed",
    "asks",
    "asked",
    "states",
    "stated",
    "claims",
    "claimed",
    "adds",
    "added",
    "continues",
    "continued",
    "explains",
    "explained",
    "argues",
    "argued",
    "mentions",
    "mentioned",
    "posted",
    "opines",
    "opined",
    "chirps",
    "pontificates",
    "pontificated",
    "declared",
];

/// What a line of a body is, for finding quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Quote,
    Text,
}

/// The byte ranges of `body` that quote others: quoted lines and their
/// attributions (see the module's documentation), whole lines with their
/// line ends, in order and apart. Blank lines between two quoted ones are
/// taken in, so a reply's quote with its attribution is one range.
pub fn quoted_lines(body: &str) -> Vec<Range<usize>> {
    let mut lines: Vec<(Range<usize>, &str)> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        lines.push((offset..offset + line.len(), text));
        offset += line.len();
    }
    let kinds: Vec<Kind> = lines
        .iter()
        .map(|(_, text)| {
            if text.trim().is_empty() {
                Kind::Blank
            } else if is_quote(text) {
                Kind::Quote
            } else {
                Kind::Text
            }
        })
        .collect();

    let text_at = |i: usize| lines[i].1.trim();
    // The next line that is not blank after each line. (Every step below
    // is linear in the lines: a hostile body of a million lines costs
    // what reading it does.)
    let mut next_text: Vec<Option<usize>> = vec![None; lines.len()];
    for i in (0..lines.len().saturating_sub(1)).rev() {
        next_text[i] = if kinds[i + 1] == Kind::Blank {
            next_text[i + 1]
        } else {
            Some(i + 1)
        };
    }
    // Attributions, as their first and last lines. `jim@x (Jim) writes:`
    // and `In article <…> … writes:` wherever they stand:
    let mut attributions: Vec<(usize, usize)> = Vec::new();
    let mut first = 0;
    while first < lines.len() {
        if kinds[first] == Kind::Text && says_who_anywhere(text_at(first)) {
            attributions.push((first, first));
            first += 1;
            continue;
        }
        if kinds[first] == Kind::Text && opens_anywhere(text_at(first)) {
            let end = (first + MAX_ATTRIBUTION_LINES).min(lines.len());
            let last = (first..end)
                .take_while(|&j| kinds[j] == Kind::Text)
                .find(|&j| ends_opened_attribution(text_at(j)));
            if let Some(last) = last {
                attributions.push((first, last));
                first = last + 1;
                continue;
            }
        }
        first += 1;
    }
    // and any other line that ends like one, when a quote follows it.
    let mut taken = vec![false; lines.len()];
    for &(first, last) in &attributions {
        taken[first..=last].fill(true);
    }
    for last in 0..lines.len() {
        if kinds[last] != Kind::Text || taken[last] || !ends_attribution(text_at(last)) {
            continue;
        }
        let Some(next) = next_text[last] else {
            continue;
        };
        if kinds[next] != Kind::Quote && mark_of(lines[next].1).is_none() {
            continue;
        }
        attributions.push((last, last));
    }
    attributions.sort_unstable();

    let mut quoted: Vec<bool> = kinds.iter().map(|kind| *kind == Kind::Quote).collect();
    // The mark each line was found quoted with after an attribution.
    let mut marked: Vec<Option<char>> = vec![None; lines.len()];
    for (first, last) in attributions {
        // With the line before, wrapped: `On Tue, 20 Apr 1993, Jane Doe`
        // / `<jane@example.org> wrote:`.
        let first = match first.checked_sub(1) {
            Some(above) if kinds[above] == Kind::Text && opens_wrapped(text_at(above)) => above,
            _ => first,
        };
        quoted[first..=last].fill(true);
        // After an attribution, lines marked otherwise than with `>` (`:
        // text`, `| text`, `}text`) quote too, as long as the mark goes on.
        let Some(next) = next_text[last] else {
            continue;
        };
        let Some(mark) = mark_of(lines[next].1) else {
            continue;
        };
        for j in next..lines.len() {
            if kinds[j] == Kind::Text {
                // (An attribution inside a block found the rest already.)
                if marked[j] == Some(mark) || mark_of(lines[j].1) != Some(mark) {
                    break;
                }
                quoted[j] = true;
                marked[j] = Some(mark);
            }
        }
    }

    // Blank lines between two quoted ones are quoted too.
    let mut previous = None;
    for i in 0..lines.len() {
        if kinds[i] == Kind::Blank {
            continue;
        }
        if quoted[i] && previous.is_some_and(|p: usize| quoted[p]) {
            let p = previous.unwrap_or(i);
            quoted[p..i].fill(true);
        }
        previous = Some(i);
    }
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (range, _) in lines
        .iter()
        .zip(&quoted)
        .filter(|(_, q)| **q)
        .map(|(l, _)| l)
    {
        match ranges.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => ranges.push(range.clone()),
        }
    }
    ranges
}

/// The marks other than `>` that some posters quote with, which are taken
/// for quoting only on the lines right after an attribution.
const OTHER_MARKS: [char; 5] = [':', '|', '}', ']', '#'];

/// The mark a line opens with, after optional spaces, if it is one of
/// [`OTHER_MARKS`].
fn mark_of(line: &str) -> Option<char> {
    line.trim_start_matches([' ', '\t'])
        .chars()
        .next()
        .filter(|c| OTHER_MARKS.contains(c))
}

/// `> text`, `>>text`, `  > text`, `|> text`: a line quoting another post.
fn is_quote(line: &str) -> bool {
    let rest = line.trim_start_matches([' ', '\t']);
    rest.starts_with('>')
        || rest
            .strip_prefix('|')
            .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with('>'))
}

/// The line opens an attribution wherever it stands: `In article <…>`,
/// `In <message id>`, `In message <…>`, `From article <…>`.
fn opens_anywhere(line: &str) -> bool {
    let line = line.trim_start();
    let Some(rest) = line
        .strip_prefix("In ")
        .or_else(|| line.strip_prefix("From "))
    else {
        return false;
    };
    let rest = rest.trim_start();
    let word = |word: &str| {
        rest.get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word))
            && rest[word.len()..].starts_with([' ', ','])
    };
    if line.starts_with("From ") {
        return word("article") && rest.contains('<');
    }
    word("article") || word("message") || (rest.starts_with('<') && rest.contains(['@', '>']))
}

/// The line is an attribution wherever it stands: it names an address and
/// ends in a verb of saying and `:` or `...` (`jim@x.org (Jim) writes:`).
fn says_who_anywhere(line: &str) -> bool {
    let (rest, _) = strip_closing(line);
    rest.len() < line.len() && ends_in_saying(rest) && line.contains('@')
}

/// The line may start an attribution wrapped onto the next:
/// `On Tue, 20 Apr 1993, Jane Doe` (a date or time: some digit).
fn opens_wrapped(line: &str) -> bool {
    line.starts_with("On ") && line.contains(|c: char| c.is_ascii_digit())
}

/// The line ends as an attribution does: in a verb of saying (`writes:`,
/// `wrote`, `says;`, `writes...`), or in `:` after an address or a message
/// id (`From article <…>, by jim@x (Jim):`).
fn ends_attribution(line: &str) -> bool {
    let (rest, colon) = strip_closing(line);
    if ends_in_saying(rest) {
        return true;
    }
    colon && (line.contains('@') || (line.contains('<') && line.contains('>')))
}

/// The line ends an attribution that an `In article <…>` line opened: as
/// any attribution, or in `:` or `...` (`our moderator comments :`).
fn ends_opened_attribution(line: &str) -> bool {
    let (rest, _) = strip_closing(line);
    rest.len() < line.len() || ends_in_saying(rest)
}

/// The line without the punctuation an attribution ends in (`:`, `...`,
/// `…`, `;`), and whether that was a colon.
fn strip_closing(line: &str) -> (&str, bool) {
    let line = line.trim_end();
    if let Some(rest) = line.strip_suffix(':') {
        return (rest.trim_end(), true);
    }
    for closing in ["...", "…", ";"] {
        if let Some(rest) = line.strip_suffix(closing) {
            return (rest.trim_end_matches('.').trim_end(), false);
        }
    }
    (line, false)
}

/// Whether the last word of `text` is a verb of saying.
fn ends_in_saying(text: &str) -> bool {
    let last = text
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    !last.is_empty() && SAYING.iter().any(|verb| verb.eq_ignore_ascii_case(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted ranges of `body` as text.
    fn quoted(body: &str) -> Vec<&str> {
        quoted_lines(body)
            .into_iter()
            .map(|range| &body[range])
            .collect()
    }

    /// `body` without its quoted ranges.
    fn own(body: &str) -> String {
        let mut own = String::new();
        let mut from = 0;
        for range in quoted_lines(body) {
            own.push_str(&body[from..range.start]);
            from = range.end;
        }
        own.push_str(&body[from..]);
        own
    }

    #[test]
    fn a_reply_quotes_its_attribution_and_the_quoted_lines() {
        // As most replies in 20news-mini (talk.politics.guns/54637).
        let body = "In article <1993Apr20.1@cs.cmu.edu> jdoe@cs.cmu.edu (Jane Doe) writes:\n\
                    >The Koreshians rubbed themselves out.\n\
                    >\n\
                    >>Nested, older words.\n\
                    \n\
                    That is not what happened.\n\
                    > One more quoted line\n\
                    And my answer to it.";
        assert_eq!(
            quoted(body),
            [
                "In article <1993Apr20.1@cs.cmu.edu> jdoe@cs.cmu.edu (Jane Doe) writes:\n\
                 >The Koreshians rubbed themselves out.\n>\n>>Nested, older words.\n",
                "> One more quoted line\n",
            ]
        );
        assert_eq!(
            own(body),
            "\nThat is not what happened.\nAnd my answer to it."
        );
    }

    #[test]
    fn an_attribution_wrapped_over_lines_is_quoted_whole() {
        // alt.atheism/51251, comp.sys.mac.hardware/52155, and
        // talk.religion.misc/84317 (three lines).
        for (attribution, rest) in [
            (
                "In article <1993Apr05.174537.14962@watson.ibm.com>\n\
                 strom@Watson.Ibm.Com (Rob Strom) writes:\n",
                "\n>Quoted.\n\nMine.",
            ),
            (
                "In article <C5w9v0.FCE@news.cso.uiuc.edu> Marty Sachs \n\
                 <msachs@ux1.cso.uiuc.edu> writes:\n",
                "> I purchased 2x8 MB.\nMine.",
            ),
            (
                "In article <1993Apr21.045548.17418@news.cs.brandeis.edu>,\n\
                 st922957@pip.cc.brandeis.edu (Arnold Schwarzenweisengreenbluenbraunenburger)\n\
                 says:\n",
                ">Quoted.\nMine.",
            ),
            (
                "In <1993Apr19.205615.1013@unlv.edu> todamhyp@charles.unlv.edu (Brian M.\n\
                 Huey) writes:\n",
                ">Quoted.\nMine.",
            ),
            (
                "On Tue, 20 Apr 1993 10:02:11 GMT, Jane Doe\n<jane@example.org> wrote:\n",
                "> Quoted.\nMine.",
            ),
        ] {
            let body = format!("{attribution}{rest}");
            let found = quoted(&body);
            assert!(found[0].starts_with(attribution), "{body:?}: {found:?}");
            assert_eq!(own(&body).trim(), "Mine.", "{body:?}");
        }
    }

    #[test]
    fn attributions_take_many_forms() {
        for attribution in [
            "Someone writes:",
            "cobb@alexia.lis.uiuc.edu (Mike Cobb) writes...",
            "In article <C5JoBH.7zt@apollo.hp.com>, goykhman@apollo.hp.com (Red Herring) writes...",
            "zyda@cs.nps.navy.mil (Michael Zyda) notes:",
            "Joni Ciarletta writes",
            "Jeff responds;",
            "From article <93859@hydra.gatech.EDU>, by gs26@prism.gatech.EDU (Glenn R. Stone):",
            "pdb059@ipl.jpl.nasa.gov (Paul Bartholomew) writes to Clayton Cramer:",
            "In article <1993Apr22.042310.39296@ns1.cc.lehigh.edu> you write:",
            "  Andrew Varvel writes:",
        ] {
            let body = format!("{attribution}\n\n> Quoted.\n\nMine.");
            assert_eq!(own(&body), "\nMine.", "{attribution:?}");
        }
    }

    #[test]
    fn the_posters_own_lines_before_a_quote_are_not_attributions() {
        // Lines of 20news-mini that introduce a quote in the poster's own
        // words, or just precede one.
        for line in [
            "I asked Jim the following:",
            "My original post was:",
            "A short excerpt:",
            "Now let's do a bit of a post-mortem:",
            "the price tag was way too large...",
            "Yes.",
            "What I said.",
            "From archive_policy.txt:",
            "On the subject of the upcoming new Mustang:",
        ] {
            let body = format!("{line}\n> Quoted.\nMine.");
            assert_eq!(quoted(&body), ["> Quoted.\n"], "{line:?}");
        }
    }

    #[test]
    fn lines_marked_otherwise_quote_right_after_an_attribution() {
        // As tin quoted (talk.politics.guns/53328), and nested in `}`
        // (alt.atheism/51166).
        let body = "Jim De Arras (jmd@cube.handheld.com) wrote:\n\
                    : In article <C4u3x5.Fw7@magpie.linknet.com> manes@magpie.linknet.com (Steve\n\
                    : Manes) writes:\n\
                    : [...]\n\
                    :\n\
                    : > I don't know how anyone can state that.\n\
                    \n\
                    Mine: as I said.\n\
                    : not a quote, far from the attribution";
        assert_eq!(
            own(body),
            "\nMine: as I said.\n: not a quote, far from the attribution"
        );
        let body = "In article <1ph4c8$8j6@shrike.und.ac.za> dace@shrike.und.ac.za (Roy Dace) \
                    writes:\n}Herb Huston (huston@access.digex.com) wrote:\n}\n}: Actually, \
                    cannibalism is quite widespread.\n\nDid something happen?";
        assert_eq!(own(body), "\nDid something happen?");
        // The mark must go on from the line after the attribution.
        let body = "Bill writes:\n| a |\n# b\nMine.";
        assert_eq!(own(body), "# b\nMine.");
        // Without an attribution, such lines are the poster's.
        let body = "The table:\n| a | b |\n: c";
        assert!(quoted(body).is_empty());
    }

    #[test]
    fn an_in_article_attribution_is_one_without_a_quote_after_it() {
        let body = "In article <1qvjh9INNh4l@hp-col.col.hp.com>, dduff@col.hp.com (Dave Duff) \
                    writes:\n\n[deleted]\n\nI disagree.";
        assert_eq!(own(body), "\n[deleted]\n\nI disagree.");
        let body = "In article <May.9.05.38.52.1993.27378@athos.rutgers.edu> our moderator\n\
                    comments :\n\nWell.";
        assert_eq!(own(body), "\nWell.");
        // So is one that names an address, however it quotes after it.
        let body = "akelley@oracle.uucp (Alyn Kelley) writes:\n\n   Indented, quoted.\n\nMine.";
        assert_eq!(own(body), "\n   Indented, quoted.\n\nMine.");
        let body = "Bob Van Cleef writes:\n\n   Indented, quoted.";
        assert!(quoted(body).is_empty());
        // In prose, not ending as an attribution does, it is the poster's.
        let body = "In article 12 of the treaty, the parties agree.\nNo more.";
        assert!(quoted(body).is_empty());
        let body = "In <C4truE.6AA@ms.uky.edu> he said it first, and then\nhe said it again\nand \
                    again\nand again.";
        assert!(quoted(body).is_empty(), "{:?}", quoted(body));
    }

    #[test]
    fn only_lines_marked_with_a_quoting_mark_are_quoted() {
        assert!(is_quote("> text"));
        assert!(is_quote(">>text"));
        assert!(is_quote("   > indented"));
        assert!(is_quote("|> text"));
        assert!(is_quote("| > > text"));
        assert!(is_quote(">"));
        for line in [
            ": not a quote",
            "| a table | cell |",
            "} brace",
            "# comment",
            "-> arrow",
            "a > b",
            "=>",
        ] {
            assert!(!is_quote(line), "{line:?}");
        }
    }

    #[test]
    fn a_hostile_body_costs_what_its_length_does() {
        // Every line an attribution, of blocks inside blocks; openers that
        // never close. Quadratic work would take minutes here.
        let mut body = String::new();
        for _ in 0..50_000 {
            body.push_str(": a@b writes:\n");
        }
        body.insert_str(0, "a@b writes:\n");
        for _ in 0..50_000 {
            body.push_str("In article <x@y> and\nthen\n");
        }
        let ranges = quoted_lines(&body);
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0], 0..12 + 50_000 * 14);
    }

    #[test]
    fn a_body_of_quotes_alone_is_quoted_whole_and_one_without_none() {
        let body = "Bill writes:\n> One.\n>\n> Two.";
        assert_eq!(quoted(body), [body]);
        assert_eq!(own(body), "");
        let body = "No quotes here.\n\nIn fact none: at all.";
        assert!(quoted(body).is_empty());
        assert!(quoted("").is_empty());
        // A quote at the very start has no attribution.
        assert_eq!(quoted("> First.\n\nMine."), ["> First.\n"]);
    }

    #[test]
    fn blank_lines_join_quoted_blocks_and_nothing_else() {
        let body = "> One.\n\n> Two.\n\nMine.\n\n> Three.";
        assert_eq!(quoted(body), ["> One.\n\n> Two.\n", "> Three."]);
        assert_eq!(own(body), "\nMine.\n\n");
        // Ranges are whole lines, on char boundaries, in order and apart.
        let body = "Zoë wrote:\n> Café…\n\nÉtat.\n|> Ü";
        let ranges = quoted_lines(body);
        assert_eq!(quoted(body), ["Zoë wrote:\n> Café…\n", "|> Ü"]);
        for pair in ranges.windows(2) {
            assert!(pair[0].end < pair[1].start);
        }
    }
}

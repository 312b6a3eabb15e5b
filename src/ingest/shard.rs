//! Shards: one archive split over several indexes, each an ordinary
//! dateline index of the files whose stable id hashes to its number
//! (`dateline index --shard K/N`). A file always lands in the same shard,
//! so incremental runs, deletions and recovery work per shard as they do
//! for one index; the index records which shard it is, and a run with
//! another (or none) is refused instead of deleting the other shards'
//! files from it.

use std::io;
use std::path::Path;

use crate::error::{Error, Result};

/// The file in an index folder that says which shard the index is.
pub const SHARD_FILE: &str = "dateline-shard";

/// Shard `number` of `of` (numbered from 1, as `--shard 1/2` … `2/2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    number: u32,
    of: u32,
}

impl Shard {
    /// Shard `number` of `of`, numbered from 1.
    pub fn new(number: u32, of: u32) -> std::result::Result<Shard, String> {
        if of == 0 {
            return Err("an archive is split into at least one shard (--shard 1/1)".into());
        }
        if number == 0 || number > of {
            return Err(format!(
                "shards are numbered from 1 to {of}: --shard 1/{of} … {of}/{of}"
            ));
        }
        Ok(Shard { number, of })
    }

    /// Its number, from 1.
    pub fn number(self) -> u32 {
        self.number
    }

    /// How many shards the archive is split into.
    pub fn of(self) -> u32 {
        self.of
    }

    /// Whether the file of this stable id (see
    /// [`super::walk::SourceFile::id`]) belongs to this shard: by the xxh3
    /// hash of the id, the same on every machine and in every version.
    pub fn holds(self, file_id: &str) -> bool {
        shard_of(file_id, self.of) == self.number
    }

    /// Reads the shard an index folder records: `None` when it records
    /// none (an index of a whole archive, or a new one).
    pub fn recorded(dir: &Path) -> Result<Option<Shard>> {
        let path = dir.join(SHARD_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => text.trim().parse().map(Some).map_err(|reason| {
                Error::invalid(format!(
                    "{} is damaged ({reason}); run `dateline index --rebuild --shard K/N`",
                    path.display()
                ))
            }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Error::System(format!(
                "cannot read {}: {err}",
                path.display()
            ))),
        }
    }

    /// Records in the index folder which shard it is (or, `None`, that it
    /// is no shard).
    pub fn record(dir: &Path, shard: Option<Shard>) -> Result<()> {
        let path = dir.join(SHARD_FILE);
        let written = match shard {
            Some(shard) => std::fs::write(&path, format!("{shard}\n")),
            None => match std::fs::remove_file(&path) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        };
        written.map_err(|err| Error::System(format!("cannot write {}: {err}", path.display())))
    }
}

/// The shard (from 1) of `of` that a file of this stable id belongs to.
pub fn shard_of(file_id: &str, of: u32) -> u32 {
    (xxhash_rust::xxh3::xxh3_64(file_id.as_bytes()) % u64::from(of.max(1))) as u32 + 1
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.number, self.of)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `K/N`: shard K of N, from 1.
    fn from_str(text: &str) -> std::result::Result<Shard, String> {
        let wrong = || format!("'{text}' is not a shard: write K/N, as 1/2 for the first of two");
        let (number, of) = text.trim().split_once('/').ok_or_else(wrong)?;
        let number = number.trim().parse().map_err(|_| wrong())?;
        let of = of.trim().parse().map_err(|_| wrong())?;
        Shard::new(number, of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_written_k_of_n_from_one() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { number: 2, of: 3 }));
        assert_eq!(" 1 / 1 ".parse::<Shard>().unwrap().to_string(), "1/1");
        for wrong in ["0/2", "3/2", "1/0", "1", "a/2", "1/2/3", ""] {
            assert!(wrong.parse::<Shard>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn every_file_is_in_exactly_one_shard_and_they_share_the_files() {
        let ids: Vec<String> = (0..2000)
            .map(|i| format!("reuters/reut2-{i:03}.sgm"))
            .collect();
        for of in [1, 2, 3, 7] {
            let shards: Vec<Shard> = (1..=of).map(|k| Shard::new(k, of).unwrap()).collect();
            let mut sizes = vec![0usize; of as usize];
            for id in &ids {
                let holding: Vec<_> = shards.iter().filter(|shard| shard.holds(id)).collect();
                assert_eq!(holding.len(), 1, "{id} in {of} shards");
                sizes[holding[0].number as usize - 1] += 1;
            }
            // A fair hash: no shard gets less than 3/4 of its share.
            let share = ids.len() / of as usize;
            assert!(sizes.iter().all(|&n| n * 4 >= share * 3), "{sizes:?}");
        }
        // The same id, the same shard, on every machine and in every
        // version (xxh3 of the id's bytes).
        assert_eq!(
            xxhash_rust::xxh3::xxh3_64(b"reuters/reut2-000.sgm") % 2 + 1,
            u64::from(shard_of("reuters/reut2-000.sgm", 2))
        );
    }

    #[test]
    fn an_index_records_its_shard() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Shard::recorded(dir.path()).unwrap(), None);
        let shard = Shard::new(2, 4).unwrap();
        Shard::record(dir.path(), Some(shard)).unwrap();
        assert_eq!(Shard::recorded(dir.path()).unwrap(), Some(shard));
        Shard::record(dir.path(), None).unwrap();
        assert_eq!(Shard::recorded(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join(SHARD_FILE), "two of four").unwrap();
        assert!(Shard::recorded(dir.path()).is_err());
    }
}

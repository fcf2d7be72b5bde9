//! Helpers of the crate's own unit tests.

/// Every string of at most `most` of `pieces` put end to end (the empty one included): inputs
/// for checking a fast reading against a plain one.
pub(crate) fn strings_of<S: AsRef<str>>(pieces: &[S], most: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = all.clone();
    for _ in 0..most {
        last = last
            .iter()
            .flat_map(|t| pieces.iter().map(move |p| format!("{t}{}", p.as_ref())))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

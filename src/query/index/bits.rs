//! [`Bits`]: a set of small numbers (submissions, by their index) as one bit
//! each, so `and`, `or` and `not` of whole conditions are word operations.

/// A set of the numbers `0..len`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    /// The empty set of `0..len`.
    pub fn none(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// The numbers `i` in `0..len` with `f(i)`.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> bool) -> Bits {
        let mut b = Bits::none(len);
        (0..len).filter(|&i| f(i)).for_each(|i| b.insert(i));
        b
    }

    /// The numbers of `items` (each below `len`).
    pub fn of(len: usize, items: impl IntoIterator<Item = u32>) -> Bits {
        let mut b = Bits::none(len);
        items.into_iter().for_each(|i| b.insert(i as usize));
        b
    }

    /// Is `i` in the set?
    pub fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Puts `i` in the set.
    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Keeps the numbers also in `other`.
    pub fn and(&mut self, other: &Bits) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= b);
    }

    /// Adds the numbers of `other`.
    pub fn or(&mut self, other: &Bits) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= b);
    }

    /// The numbers of `0..len` not in the set.
    pub fn not(&mut self) {
        self.words.iter_mut().for_each(|w| *w = !*w);
        let tail = self.len % 64;
        if let (Some(last), true) = (self.words.last_mut(), tail != 0) {
            *last &= (1u64 << tail) - 1;
        }
    }

    /// The numbers in the set, smallest first.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations_agree_with_booleans() {
        for len in [0, 1, 63, 64, 65, 130] {
            let a: Vec<bool> = (0..len).map(|i| i % 3 == 0).collect();
            let b: Vec<bool> = (0..len).map(|i| i % 5 < 2).collect();
            let (x, y) = (Bits::from_fn(len, |i| a[i]), Bits::from_fn(len, |i| b[i]));
            let mut and = x.clone();
            and.and(&y);
            let mut or = x.clone();
            or.or(&y);
            let mut not = x.clone();
            not.not();
            for i in 0..len {
                assert_eq!(and.get(i), a[i] && b[i]);
                assert_eq!(or.get(i), a[i] || b[i]);
                assert_eq!(not.get(i), !a[i]);
            }
            assert_eq!(
                not.iter().collect::<Vec<_>>(),
                (0..len).filter(|&i| !a[i]).collect::<Vec<_>>(),
                "no number past the end"
            );
            assert_eq!(Bits::of(len, x.iter().map(|i| i as u32)), x);
        }
    }
}

//! The diagnostic codes: one variant per code, each documented in `docs/diagnostics.md` (a test
//! checks the two agree in both directions). A code is never reused for something else.

use std::fmt;

use serde::Serialize;

macro_rules! codes {
    ($($code:ident),* $(,)?) => {
        /// A stable diagnostic code: `E` an error, `W` a warning (`docs/diagnostics.md`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`", stringify!($code), "`: see `docs/diagnostics.md`.")]
                $code,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written, e.g. `E001`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }
        }
    };
}

codes!(
    E001, E002, E003, E004, E005, E006, E007, E008, E009, E010, E011, E020, E030, E031, E032, E100,
    E200, E201, E204, E205, E206, E207, E210, E211, E212, E213, E214, E215, E251, E252, E253, E254,
    E260, E261, E262, E265, E270, E301, E302, E305, E400, E401, E402, E403, E404, E405, E406, E407,
    E408, E409, E410, E411, E412, E600, E601, E602, E603, E604, E605, E700, E701, E702, E703, E704,
    E901, E902, E903, W012, W013, W014, W015, W201, W202, W203, W207, W208, W251, W252, W303, W304,
    W306, W307, W308, W309,
);

impl Code {
    /// The code named `s` (`E001`), if there is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

//! The engine: the rules compiled into one multi-pattern matcher (literal atoms in one
//! automaton, regexes verified at their atom).

pub mod atoms;
mod literal;
pub mod matcher;

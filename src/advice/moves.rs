//! What would move a score: the smallest changes to a statement's evidence that raise or
//! lower it, and rules within a small margin of firing.

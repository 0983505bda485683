"""What the writing commands change: the transactional plan, catalog and manifest edits,
references to renumbered stages, stage placement and the scaffold of a new stage."""

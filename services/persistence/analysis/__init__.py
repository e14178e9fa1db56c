"""Post-call analysis: evaluation, structured facts and cost of an ended call (see the
persistence README, "Post-call analysis")."""

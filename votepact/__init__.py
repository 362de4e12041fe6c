"""VotePact: a static campaign-site generator."""

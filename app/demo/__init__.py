"""The demo site written by `flask seed-demo`: articles, authors, members, votes, discussions."""

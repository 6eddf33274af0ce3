"""The only code that knows GitHub: the GraphQL documents of `queries/` (`documents`), their
price (`pricing`), the one gateway that sends them (`gateway`), typed access to a repository's
issues, labels and comments (`issues`), and what landed after a lost answer (`recovery`)."""

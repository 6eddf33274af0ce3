"""The GraphQL face: GitHub's published schema (`schema`), executed over the state by views
(one class a GitHub type: `query_views`, `issue_views`, `reaction_views`, `mutations`),
priced (`cost`), paged (`pagination`) and answered in GitHub's error shapes (`errors`);
`api.GraphqlApi` is the request path."""

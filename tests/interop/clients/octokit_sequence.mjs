// A realistic sequence of npm's @octokit/rest and @octokit/graphql (pinned in
// tests/support/foreign.py), unmodified, against a GitHub at another address. Run by node from
// the folder whose node_modules holds them:
//   node octokit_sequence.mjs REST_ROOT OWNER_TOKEN OTHER_TOKEN OWNER REPO
// Prints one JSON line of what it saw; any request that fails ends it with a non-zero exit.
import { Octokit } from "@octokit/rest";
import { graphql } from "@octokit/graphql";

const [root, token, otherToken, owner, repo] = process.argv.slice(2);
const octokit = new Octokit({ auth: token, baseUrl: root });
const other = new Octokit({ auth: otherToken, baseUrl: root });
const gql = graphql.defaults({ baseUrl: root, headers: { authorization: `token ${token}` } });
const { issues, reactions } = octokit.rest;

const GROUPS = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { issue(number: $number) {
    reactionGroups { content users { totalCount } }
    comments(first: 5) { totalCount nodes { reactionGroups { content reactors { totalCount } } } }
  } }
  rateLimit { limit remaining }
}`;
const PAGE = `query($owner: String!, $name: String!, $first: Int, $after: String, $last: Int,
  $before: String) { repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, last: $last, before: $before,
      orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { number } } } }`;

async function graphqlPages() {
  const seen = { forward: [], backward: [] };
  let after = null;
  for (;;) {
    const page = await gql(PAGE, { owner, name: repo, first: 2, after });
    const found = page.repository.issues;
    seen.forward.push(...found.nodes.map((n) => n.number));
    if (!found.pageInfo.hasNextPage) break;
    after = found.pageInfo.endCursor;
  }
  let before = null;
  for (;;) {
    const page = await gql(PAGE, { owner, name: repo, last: 2, before });
    const found = page.repository.issues;
    seen.backward = [...found.nodes.map((n) => n.number), ...seen.backward];
    if (!found.pageInfo.hasPreviousPage) break;
    before = found.pageInfo.startCursor;
  }
  return seen;
}

async function restPages() {
  const out = {};
  for (const direction of ["asc", "desc"]) {
    const listed = await octokit.paginate(issues.listForRepo, {
      owner, repo, state: "all", labels: "kind:b", direction, per_page: 2,
    });
    out[direction] = listed.map((issue) => issue.number);
  }
  return out;
}

async function spentBudget() {
  const limited = graphql.defaults({
    baseUrl: root, headers: { authorization: `token ${otherToken}` },
  });
  try {
    for (let i = 0; i < 10; i += 1) await limited("query { viewer { login } }");
  } catch (error) {
    return (error.errors || []).map((e) => [e.type, e.code]);
  }
  return "never limited";
}

const limits = (await octokit.rest.rateLimit.get()).data;
const repository = (await octokit.rest.repos.get({ owner, repo })).data;
await issues.createLabel({ owner, repo, name: "kind:a", color: "ededed" });
await issues.updateLabel({ owner, repo, name: "kind:a", new_name: "kind:b", color: "BADA55" });
const label = (await issues.getLabel({ owner, repo, name: "kind:b" })).data;
const numbers = [];
for (let i = 0; i < 5; i += 1) {
  const created = await issues.create({ owner, repo, title: `object ${i}`, body: "{}", labels: ["kind:b"] });
  numbers.push(created.data.number);
}
const issue_number = numbers[0];
await issues.addLabels({ owner, repo, issue_number, labels: ["kind:c"] });
const onIssue = (await issues.listLabelsOnIssue({ owner, repo, issue_number })).data.map((l) => l.name);
await issues.removeLabel({ owner, repo, issue_number, name: "kind:c" });
const comment = (await issues.createComment({ owner, repo, issue_number, body: '{"_data": {"a": 1}}' })).data;
await other.rest.issues.createComment({ owner, repo, issue_number, body: "a passer-by" });
await reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: "+1" });
await other.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content: "+1" });
await reactions.createForIssue({ owner, repo, issue_number, content: "heart" });
const listed = (await reactions.listForIssueComment({ owner, repo, comment_id: comment.id })).data;
await issues.update({ owner, repo, issue_number, state: "closed", state_reason: "completed" });
const closed = (await issues.get({ owner, repo, issue_number })).data;
await issues.update({ owner, repo, issue_number, state: "open" });
await issues.update({ owner, repo, issue_number, body: '{"a": 1}' });
await issues.lock({ owner, repo, issue_number, lock_reason: "resolved" });
const locked = (await issues.get({ owner, repo, issue_number })).data;
await issues.unlock({ owner, repo, issue_number });
const comments = (await issues.listComments({ owner, repo, issue_number })).data;
const fetched = (await issues.getComment({ owner, repo, comment_id: comment.id })).data;
const groups = await gql(GROUPS, { owner, name: repo, number: issue_number });
const final = (await issues.get({ owner, repo, issue_number })).data;

console.log(JSON.stringify({
  limits: Object.fromEntries(["core", "graphql", "search"].map((k) => [k, limits.resources[k].limit])),
  repository: [repository.full_name, repository.permissions.admin],
  label: [label.name, label.color],
  numbers,
  labels_on_issue: onIssue,
  reactions_listed: listed.map((r) => r.content).sort(),
  closed: [closed.state, closed.state_reason, closed.closed_at !== null],
  locked: [locked.locked, locked.active_lock_reason],
  comments: comments.map((c) => c.body),
  fetched_comment: [fetched.id === comment.id, fetched.reactions["+1"]],
  final: [final.state, final.body, final.locked, final.labels.map((l) => l.name)],
  graphql_groups: groups.repository.issue,
  graphql_rate: groups.rateLimit.limit,
  graphql_pages: await graphqlPages(),
  rest_pages: await restPages(),
  spent_budget: await spentBudget(),
}));

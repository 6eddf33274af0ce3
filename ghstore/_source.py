"""Where this build of ghstore came from: `OWNER/REPO@COMMIT` of its source repository, or None
for a build that is not a release. The release workflow writes this file before it builds,
so `ghstore init --workflow` can pin the process-updates action to the exact commit."""

SOURCE: str | None = None

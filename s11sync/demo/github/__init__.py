"""The GitHub side of the demo: a loopback GitHub REST emulator backed by real bare git repositories.

* `server`: `GitHubEmulator` (on the shared loopback base), the routes PyGithub calls to publish.
* `shapes`: the JSON bodies of repositories, refs, commits, trees and blobs.
* `wire`: GitHub's error bodies, default messages, the auth header, people.
* `git_store`: the bare repository behind it, driven with the git command line.
"""

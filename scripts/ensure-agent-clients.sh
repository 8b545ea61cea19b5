#!/usr/bin/env sh
# Installs the agent clients test/agent-clients runs (Claude Code, Codex CLI, the Agents SDK, the AI SDK, LangChain)
# from its own lockfile, when they are not installed yet. Uses the local npm cache first.
set -e
dir="$(cd "$(dirname "$0")/../test/agent-clients" && pwd)"
if [ -x "$dir/node_modules/.bin/claude" ] && [ -x "$dir/node_modules/.bin/codex" ] && [ -d "$dir/node_modules/@openai/agents" ]; then
  exit 0
fi
cd "$dir"
npm ci --no-audit --no-fund --prefer-offline

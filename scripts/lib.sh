# Shared steps of start.sh and test.sh. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[%s] %s\n' "$1" "$2"; }

# npm ci only when package-lock.json changed since the last install: re-runs stay fast.
install_dependencies() {
  local stamp=node_modules/.lock-hash hash
  hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ -f $stamp && "$(cat "$stamp")" == "$hash" ]]; then
    log install "dependencies up to date"
  else
    log install "npm ci (first run or package-lock.json changed)"
    # --include=dev: the processes run through tsx, a dev dependency, also when NODE_ENV=production.
    npm ci --include=dev --no-audit --no-fund --loglevel=error
    echo "$hash" > "$stamp"
  fi
  # Prisma clients are generated (git-ignored) from prisma/<db>/schema.prisma.
  npx --no-install tsx scripts/prisma.ts generate >/dev/null
  log install "prisma clients generated"
}

# Exports KEY=value lines of a file, unless the caller set the variable already.
load_env_file() {
  [[ -f $1 ]] || return 0
  while IFS='=' read -r key value; do
    [[ -z $key || $key == \#* ]] && continue
    [[ -z ${!key:-} ]] && export "$key=$value"
  done < "$1"
}

# Written by infra/stack/up.sh; the app's connection URLs unless the caller set them.
load_stack_env() { load_env_file .local/stack.env; }

# Strong random secrets, generated once into .local/secrets.env (scripts/secrets.ts) and reused.
load_secrets() {
  npx --no-install tsx scripts/secrets.ts
  load_env_file .local/secrets.env
}

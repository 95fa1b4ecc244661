#!/usr/bin/env bash
# Issues the certificates of one Flexrig site with openssl: a site CA, the controller's server
# certificate, and client certificates for agents, grid operators and monitors. Keys are EC P-256,
# PKCS#8 PEM, mode 0600. Every client certificate says who (CN) and what it may do (OU):
#
#   OU=agent          CN=<rig id>   FleetService only, and only as that rig of its site (the
#                                   SAN URI urn:flexrig:site:<site id>)
#   OU=grid-operator  CN=<name>     GridService: create, cancel and read events
#   OU=monitor        CN=<name>     GridService: read only (Get, List, Watch)
#   OU=controller     CN=<name>     a fleet manager calling rigs' AgentService directly
#
# Usage:
#   flexrig-pki.sh ca            DIR [SITE]           DIR/ca.crt, DIR/ca.key (keep ca.key offline)
#   flexrig-pki.sh controller    DIR [SAN ...]        DIR/controller.crt/.key; SANs like
#                                                     DNS:ctl.site.example IP:10.0.0.5 (default
#                                                     DNS:localhost IP:127.0.0.1)
#   flexrig-pki.sh agent         DIR RIG_ID [SITE_ID] DIR/agent-RIG_ID.crt/.key, bound to SITE_ID
#                                                     (default: the SITE of the CA)
#   flexrig-pki.sh grid-operator DIR NAME             DIR/grid-operator-NAME.crt/.key
#   flexrig-pki.sh monitor       DIR NAME             DIR/monitor-NAME.crt/.key
#   flexrig-pki.sh fleet-manager DIR NAME             DIR/controller-NAME.crt/.key (OU=controller)
#   flexrig-pki.sh agent-api     DIR RIG_ID [SAN ...] DIR/agent-api-RIG_ID.crt/.key: the server
#                                                     certificate of a rig's AgentService door
#                                                     (default DNS:localhost IP:127.0.0.1)
#   flexrig-pki.sh grid-token    DIR                  appends a new bearer token to DIR/grid-tokens
#                                                     and prints it (give it to the grid operator)
#
# Controller: --tls-cert DIR/controller.crt --tls-key DIR/controller.key --tls-client-ca DIR/ca.crt
#             [--grid-token-file DIR/grid-tokens]
# Agent:      tls_cert / tls_key / tls_ca in agent.yaml (AgentConfig.Builder.tls(..)).
set -euo pipefail

CA_DAYS=${FLEXRIG_CA_DAYS:-3650}
LEAF_DAYS=${FLEXRIG_LEAF_DAYS:-825}

die() { echo "flexrig-pki: $*" >&2; exit 2; }
usage() { sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Names go into certificate subjects: keep them to characters that need no escaping.
check_name() {
  [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] \
    || die "'$1' is not a valid name (letters, digits, '.', '_', '-'; at most 64)"
}

new_key() {
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null)
}

# sign DIR BASENAME SUBJECT EXTENSIONS
sign() {
  local dir=$1 base=$2 subject=$3 ext=$4
  [[ -f "$dir/ca.crt" && -f "$dir/ca.key" ]] || die "no CA in $dir: run 'flexrig-pki.sh ca $dir' first"
  new_key "$dir/$base.key"
  openssl req -new -key "$dir/$base.key" -subj "$subject" -out "$dir/$base.csr"
  openssl x509 -req -in "$dir/$base.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$LEAF_DAYS" -sha256 \
    -extfile <(printf '%s\n' "$ext") -out "$dir/$base.crt" 2>/dev/null
  rm -f "$dir/$base.csr"
  echo "$dir/$base.crt"
}

# client DIR ROLE NAME [EXTRA_EXTENSION]
client() {
  local dir=$1 role=$2 name=$3 extra=${4:-}
  check_name "$name"
  sign "$dir" "$role-$name" "/O=Flexrig/OU=$role/CN=$name" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
$extra"
}

# The SITE the CA was made for (its subject is CN=Flexrig site CA SITE).
ca_site() {
  openssl x509 -in "$1/ca.crt" -noout -subject -nameopt RFC2253 2>/dev/null \
    | sed -n 's/^subject=.*CN=Flexrig site CA \([^,]*\).*$/\1/p'
}

# server DIR BASENAME SUBJECT [SAN ...]: a serverAuth certificate; a subject ending in CN= takes
# the first SAN's value as its CN.
server() {
  local dir=$1 base=$2 subject=$3
  shift 3
  local sans=("$@")
  [[ ${#sans[@]} -gt 0 ]] || sans=(DNS:localhost IP:127.0.0.1)
  for s in "${sans[@]}"; do
    [[ "$s" =~ ^(DNS|IP):[A-Za-z0-9.:*-]+$ ]] || die "'$s' is not DNS:<name> or IP:<address>"
  done
  [[ "$subject" == */CN= ]] && subject="$subject${sans[0]#*:}"
  local san
  san=$(IFS=,; echo "${sans[*]}")
  sign "$dir" "$base" "$subject" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$san"
}

[[ $# -ge 2 ]] || usage
cmd=$1
dir=$2
shift 2
mkdir -p "$dir"

case "$cmd" in
  ca)
    site=${1:-site}
    check_name "$site"
    [[ ! -e "$dir/ca.key" ]] || die "$dir/ca.key exists; refusing to replace a site CA"
    new_key "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "$CA_DAYS" \
      -subj "/O=Flexrig/OU=site-ca/CN=Flexrig site CA $site" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$dir/ca.crt"
    echo "$dir/ca.crt"
    ;;
  controller)
    server "$dir" controller "/O=Flexrig/OU=controller/CN=" "$@"
    ;;
  agent-api)
    [[ $# -ge 1 ]] || usage
    rig=$1
    shift
    check_name "$rig"
    server "$dir" "agent-api-$rig" "/O=Flexrig/OU=agent-api/CN=$rig" "$@"
    ;;
  fleet-manager)
    [[ $# -eq 1 ]] || usage
    client "$dir" controller "$1"
    ;;
  agent)
    [[ $# -eq 1 || $# -eq 2 ]] || usage
    [[ -f "$dir/ca.crt" ]] || die "no CA in $dir: run 'flexrig-pki.sh ca $dir' first"
    site=${2:-$(ca_site "$dir")}
    [[ -n "$site" ]] || die "cannot tell the site of $dir/ca.crt: give SITE_ID"
    check_name "$site"
    client "$dir" agent "$1" "subjectAltName=URI:urn:flexrig:site:$site"
    ;;
  grid-operator|monitor)
    [[ $# -eq 1 ]] || usage
    client "$dir" "$cmd" "$1"
    ;;
  grid-token)
    token=$(openssl rand -hex 32)
    (umask 077 && echo "$token" >> "$dir/grid-tokens")
    echo "$token"
    ;;
  *)
    usage
    ;;
esac

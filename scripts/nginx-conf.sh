#!/usr/bin/env bash
# Writes the load balancer config that scripts/cluster.sh uses, for other tools and tests:
#   scripts/nginx-conf.sh FILE PREFIX_DIR LISTEN_PORT host:port [host:port...]
# Round-robin for everything; SockJS session requests hashed on the session id (no cookies).
source "$(dirname "$0")/common.sh"
[[ $# -ge 4 ]] || { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
write_nginx_conf "$@"

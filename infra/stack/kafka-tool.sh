#!/usr/bin/env bash
# Runs Kafka's own command-line tools from the jars up.sh fetched (there is no Kafka
# distribution with bin/*.sh here). --bootstrap-server defaults to the local broker.
#
#   infra/stack/kafka-tool.sh topics --list
#   infra/stack/kafka-tool.sh topics --create --topic t --partitions 3
#   echo hi | infra/stack/kafka-tool.sh console-producer --topic t
#   infra/stack/kafka-tool.sh console-consumer --topic t --from-beginning --max-messages 1
#   infra/stack/kafka-tool.sh consumer-groups --describe --all-groups
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 1 ]] || die "usage: $0 topics|console-producer|console-consumer|consumer-groups|get-offsets|<main class> [args]"
[[ -f "$KAFKA_HOME/lib/.pom.sha256" ]] || die "Kafka jars missing: run infra/stack/up.sh --only kafka first"
tool=$1; shift
case "$tool" in
  topics)           main=org.apache.kafka.tools.TopicCommand ;;
  console-producer) main=kafka.tools.ConsoleProducer ;;
  console-consumer) main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  consumer-groups)  main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  get-offsets)      main=org.apache.kafka.tools.GetOffsetShell ;;
  *)                main=$tool ;;
esac
args=("$@")
[[ " $* " == *" --bootstrap-server "* ]] || args=(--bootstrap-server "127.0.0.1:$KAFKA_PORT" "${args[@]}")

# The broker's log4j config logs INFO to stdout, which would mix with the tools'
# output; tools log warnings to stderr only.
tools_log4j="$KAFKA_HOME/config/tools-log4j.properties"
if [[ ! -f "$tools_log4j" ]]; then
  mkdir -p "$(dirname "$tools_log4j")"
  cat >"$tools_log4j" <<'L4J'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
fi
exec java -Xmx512m "-Dlog4j.configuration=file:$tools_log4j" -cp "$(kafka_classpath)" "$main" "${args[@]}"

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One member of a share group (KIP-932), run by retail-kafka-lab as a child process.
 *
 * Kafka's own VerifiableShareConsumer prints batch summaries but not each record's
 * delivery count, and acknowledges every record the same way; the lab needs both, so
 * this small member prints one JSON line per record (partition, offset, key, timestamp,
 * delivery count, value, and what it did with it) and decides per record:
 * a value that is not a JSON object is rejected (poison), a key listed in --release-keys
 * is released (delivered again until the group's delivery count limit archives it),
 * everything else accepted. With --ack auto every record is accepted, as in Kafka's
 * implicit mode; the member still acknowledges record by record (the client runs in
 * explicit mode) so that a clean stop can release, not accept, what it has not processed.
 *
 * Usage: java -cp 'kafka/libs/*' ShareMember.java --bootstrap-server H:P --topic T --group-id G [--client-id C]
 *        [--ack auto|explicit] [--release-keys k1,k2] [--delay-ms N] [--config client.properties]
 * Stdout: JSON lines {"e":"started"|"record"|"committed"|"error"|"stopped", ...}; logs go to stderr.
 * A record line says what the member decided; only the "committed" line after it says the broker
 * took the acknowledgement (a member killed in between leaves the record to come back).
 * "started" means subscribed, not yet a member: the group's description says when it has joined.
 */
public final class ShareMember {
    public static void main(String[] args) throws IOException, InterruptedException {
        LabArgs options = new LabArgs(args, Set.of("--topic", "--ack", "--release-keys", "--delay-ms"));
        Properties props = options.props;
        String topic = options.require("--topic");
        String ack = options.get("--ack", "auto");
        Set<String> releaseKeys = new HashSet<>();
        String keys = options.get("--release-keys", "");
        if (!keys.isEmpty()) releaseKeys.addAll(Arrays.asList(keys.split(",")));
        long delayMs = Long.parseLong(options.get("--delay-ms", "0"));
        boolean explicit = ack.equals("explicit");
        props.put("share.acknowledgement.mode", "explicit");
        props.put("client.id", props.getProperty("client.id", "retail-kafka-lab-share"));

        KafkaShareConsumer<String, String> consumer =
            new KafkaShareConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        // SIGTERM: stop polling, acknowledge what was processed, leave the group cleanly;
        // records acquired but not processed are released by close(). SIGKILL skips all of it.
        Shutdown shutdown = new Shutdown(consumer::wakeup);

        try {
            consumer.subscribe(List.of(topic));
            emit("{\"e\":\"started\"}");
            while (shutdown.running()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    if (!shutdown.running()) {
                        // Stopping: hand back what was not processed, for another member.
                        consumer.acknowledge(record, AcknowledgeType.RELEASE);
                        continue;
                    }
                    if (delayMs > 0) Thread.sleep(delayMs);
                    String value = record.value();
                    boolean poison = value == null || !value.trim().startsWith("{");
                    AcknowledgeType decision = !explicit ? AcknowledgeType.ACCEPT
                        : poison ? AcknowledgeType.REJECT
                        : releaseKeys.contains(record.key()) ? AcknowledgeType.RELEASE
                        : AcknowledgeType.ACCEPT;
                    consumer.acknowledge(record, decision);
                    emit("{\"e\":\"record\",\"p\":" + record.partition() + ",\"o\":" + record.offset()
                        + ",\"k\":" + json(record.key()) + ",\"ts\":" + record.timestamp()
                        + ",\"at\":" + nowMicros() / 1000.0
                        + ",\"d\":" + record.deliveryCount().map(Short::intValue).orElse(1)
                        + ",\"ack\":\"" + decision.name().toLowerCase() + "\""
                        + ",\"poison\":" + poison + ",\"v\":" + json(value) + "}");
                }
                if (!records.isEmpty()) {
                    // Acknowledge the batch now rather than with the next poll, so a kill later loses only the batch in hand.
                    // "committed" settles the records printed since the last one, except in the partitions listed as failed.
                    StringBuilder failed = new StringBuilder();
                    consumer.commitSync().forEach((partition, error) -> error.ifPresent(e -> {
                        emit("{\"e\":\"error\",\"p\":" + partition.partition() + ",\"message\":" + json(e.getMessage()) + "}");
                        failed.append(failed.length() == 0 ? "" : ",").append(partition.partition());
                    }));
                    emit("{\"e\":\"committed\",\"count\":" + records.count() + ",\"failed\":[" + failed + "]}");
                }
            }
        } catch (WakeupException stopping) {
            // SIGTERM while polling.
        } catch (Exception failure) {
            emit("{\"e\":\"error\",\"message\":" + json(failure.getClass().getSimpleName() + ": " + failure.getMessage()) + "}");
        } finally {
            try {
                // close() commits the acknowledgements still pending (a stop that woke the member
                // out of its commitSync left some): what it printed is committed after all.
                consumer.close(Duration.ofSeconds(10));
                emit("{\"e\":\"committed\",\"count\":0,\"failed\":[]}");
            } catch (Exception failure) {
                emit("{\"e\":\"error\",\"message\":" + json("close: " + failure.getMessage()) + "}");
            }
            emit("{\"e\":\"stopped\"}");
            shutdown.closed();
        }
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void emit(String line) {
        LabArgs.emit(line);
    }

    private static String json(String text) {
        return Json.string(text);
    }
}

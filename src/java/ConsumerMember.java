import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One member of a consumer group, run by retail-kafka-lab as a child process: Kafka's own
 * KafkaConsumer (classic protocol with an eager or cooperative assignor, or KIP-848).
 *
 * Kafka's VerifiableConsumer commits after each poll but not when partitions are revoked, so a
 * cooperative rebalance that takes a partition in the middle of a poll loop hands the new owner
 * records the old one had processed: 6 to 13 duplicates per run of the lab's rebalance scenario.
 * This member commits synchronously what it processed in a partition before giving it up
 * (onPartitionsRevoked), as Kafka's documentation of the listener advises, and prints the same
 * JSON lines as VerifiableConsumer (partitions_assigned, partitions_revoked, partitions_lost,
 * offsets_committed). The records of each poll follow a `records` line as one binary frame
 * (RecordFrame), in the order of the other lines.
 *
 * With --group-protocol consumer (KIP-848) the session timeout belongs to the group, not the
 * client: --session-timeout then sets the group's consumer.session.timeout.ms (and a heartbeat
 * interval inside it) before joining, so a killed member is noticed in seconds.
 *
 * Usage: java -cp ... ConsumerMember --bootstrap-server H:P --topic T --group-id G
 *        [--group-protocol classic|consumer] [--reset-policy earliest|latest]
 *        [--assignment-strategy CLASS] [--session-timeout MS] [--enable-autocommit true]
 *        [--group-instance-id ID] [--consumer.config FILE]
 */
public final class ConsumerMember {
    public static void main(String[] args) throws IOException, InterruptedException {
        LabArgs options = new LabArgs(args, Set.of("--topic", "--group-protocol", "--reset-policy",
            "--assignment-strategy", "--session-timeout", "--enable-autocommit", "--group-instance-id"));
        Properties props = options.props;
        String topic = options.require("--topic");
        String protocol = options.get("--group-protocol", "classic");
        String sessionTimeout = options.get("--session-timeout", null);
        boolean autoCommit = Boolean.parseBoolean(options.get("--enable-autocommit", "false"));
        props.put("auto.offset.reset", options.get("--reset-policy", "earliest"));
        String strategy = options.get("--assignment-strategy", null);
        if (strategy != null) props.put("partition.assignment.strategy", strategy);
        String instance = options.get("--group-instance-id", null);
        if (instance != null) props.put("group.instance.id", instance);
        boolean classic = !protocol.equals("consumer");
        props.put("group.protocol", classic ? "classic" : "consumer");
        props.put("enable.auto.commit", String.valueOf(autoCommit));
        props.put("client.id", props.getProperty("client.id", "retail-kafka-lab-member"));
        if (sessionTimeout != null) {
            if (classic) props.put("session.timeout.ms", sessionTimeout);
            else {
                // Beside the join, not before it: a member that waited for an admin client to start would
                // join seconds later, and a restart's partitions would wait for it. The broker applies the
                // group's new session timeout from the members' next heartbeats.
                Properties adminProps = (Properties) props.clone();
                Thread setter = new Thread(() -> setGroupSession(adminProps, sessionTimeout), "group-session");
                setter.setDaemon(true);
                setter.start();
            }
        }
        if (!classic) props.remove("partition.assignment.strategy");

        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RecordFrame frame = new RecordFrame();
        // Next offset to commit per partition, for what was processed since the last commit.
        Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
        final boolean commits = !autoCommit;
        Shutdown shutdown = new Shutdown(consumer::wakeup);

        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Still the owner here: commit what was processed before the partition moves.
                Map<TopicPartition, OffsetAndMetadata> giving = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata next = processed.remove(partition);
                    if (next != null) giving.put(partition, next);
                }
                if (commits && !giving.isEmpty()) commit(consumer, giving);
                emitPartitions("partitions_revoked", partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                emitPartitions("partitions_assigned", partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // Already someone else's: a commit would fail (or land over the new owner's).
                for (TopicPartition partition : partitions) processed.remove(partition);
                emitPartitions("partitions_lost", partitions);
            }
        };

        try {
            consumer.subscribe(List.of(topic), listener);
            while (shutdown.running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    // One binary frame per poll: a JSON line per record held the lab's reader to 51,000 msg/s.
                    frame.clear();
                    for (ConsumerRecord<byte[], byte[]> record : records) frame.add(record);
                    frame.emit(System.currentTimeMillis());
                    for (TopicPartition partition : records.partitions()) {
                        List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
                        processed.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
                    }
                }
                // A commit refused during a classic rebalance (RebalanceInProgressException) keeps its offsets:
                // the revoke callback of that rebalance commits them before the partitions move.
                if (commits && !processed.isEmpty() && commit(consumer, new HashMap<>(processed))) processed.clear();
            }
        } catch (WakeupException stopping) {
            // SIGTERM while polling or committing.
        } catch (Exception failure) {
            emit("{\"name\":\"error\",\"timestamp\":" + System.currentTimeMillis() + ",\"error\":"
                + json(failure.getClass().getSimpleName() + ": " + failure.getMessage()) + "}");
        } finally {
            if (commits && !processed.isEmpty()) commit(consumer, new HashMap<>(processed));
            processed.clear();
            // close() revokes what the member owns (the listener commits nothing more) and leaves the group.
            try { consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))); } catch (Exception ignored) { }
            emit("{\"name\":\"shutdown_complete\",\"timestamp\":" + System.currentTimeMillis() + "}");
            shutdown.closed();
        }
    }

    /** Commits synchronously and prints offsets_committed; false when the commit failed. */
    private static boolean commit(KafkaConsumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        StringBuilder list = new StringBuilder("[");
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            if (list.length() > 1) list.append(',');
            list.append("{\"topic\":").append(json(entry.getKey().topic())).append(",\"partition\":")
                .append(entry.getKey().partition()).append(",\"offset\":").append(entry.getValue().offset()).append('}');
        }
        list.append(']');
        try {
            consumer.commitSync(offsets);
            emit("{\"name\":\"offsets_committed\",\"timestamp\":" + System.currentTimeMillis()
                + ",\"success\":true,\"offsets\":" + list + "}");
            return true;
        } catch (WakeupException stopping) {
            // Woken to stop: try once more, the member is still in the group until close().
            try {
                consumer.commitSync(offsets);
                emit("{\"name\":\"offsets_committed\",\"timestamp\":" + System.currentTimeMillis()
                    + ",\"success\":true,\"offsets\":" + list + "}");
            } catch (Exception failure) {
                emitCommitFailure(failure, list);
            }
            throw stopping;
        } catch (Exception failure) {
            emitCommitFailure(failure, list);
            return false;
        }
    }

    private static void emitCommitFailure(Exception failure, CharSequence list) {
        emit("{\"name\":\"offsets_committed\",\"timestamp\":" + System.currentTimeMillis()
            + ",\"success\":false,\"error\":" + json(failure.getClass().getSimpleName() + ": " + failure.getMessage())
            + ",\"offsets\":" + list + "}");
    }

    /**
     * KIP-848: the session timeout is a group config. The heartbeat interval (which paces the
     * protocol's reconciliation) stays the broker's, 5 s by default, unless the session is too
     * short for it: under 10 s the group gets a third of the session (at least 0.5 s).
     */
    private static void setGroupSession(Properties props, String sessionTimeout) {
        long session = Long.parseLong(sessionTimeout);
        List<AlterConfigOp> ops = new ArrayList<>();
        ops.add(new AlterConfigOp(new ConfigEntry("consumer.session.timeout.ms", String.valueOf(session)), AlterConfigOp.OpType.SET));
        if (session < 10_000) {
            String heartbeat = String.valueOf(Math.max(500, session / 3));
            ops.add(new AlterConfigOp(new ConfigEntry("consumer.heartbeat.interval.ms", heartbeat), AlterConfigOp.OpType.SET));
        }
        try (Admin admin = Admin.create(props)) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, props.getProperty("group.id"));
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception failure) {
            emit("{\"name\":\"error\",\"timestamp\":" + System.currentTimeMillis() + ",\"error\":"
                + json("setting the group's session timeout failed: " + failure.getMessage()) + "}");
        }
    }

    private static void emit(String line) {
        LabArgs.emit(line);
    }

    /**
     * The records of one poll, written as one frame after a `records` line. Per record, big-endian:
     * int32 partition, float64 offset, float64 timestamp, int32 key length (-1: null), the key,
     * int32 value length (-1: null), the value. Offsets and timestamps are below 2^53, so a double
     * holds them exactly and the reader needs no BigInt.
     */
    private static final class RecordFrame {
        private byte[] bytes = new byte[1 << 20];
        private java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        private int count;

        void clear() {
            buffer.clear();
            count = 0;
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            byte[] key = record.key();
            byte[] value = record.value();
            int size = 4 + 8 + 8 + 4 + (key == null ? 0 : key.length) + 4 + (value == null ? 0 : value.length);
            if (buffer.remaining() < size) grow(size);
            buffer.putInt(record.partition());
            buffer.putDouble(record.offset());
            buffer.putDouble(record.timestamp());
            putBytes(key);
            putBytes(value);
            count += 1;
        }

        void emit(long polledAt) {
            LabArgs.emitFrame("{\"name\":\"records\",\"timestamp\":" + polledAt + ",\"count\":" + count
                + ",\"bytes\":" + buffer.position() + "}", bytes, buffer.position());
        }

        private void putBytes(byte[] data) {
            if (data == null) {
                buffer.putInt(-1);
            } else {
                buffer.putInt(data.length);
                buffer.put(data);
            }
        }

        private void grow(int needed) {
            byte[] larger = new byte[Math.max(bytes.length * 2, buffer.position() + needed)];
            System.arraycopy(bytes, 0, larger, 0, buffer.position());
            int position = buffer.position();
            bytes = larger;
            buffer = java.nio.ByteBuffer.wrap(bytes);
            buffer.position(position);
        }
    }

    private static void emitPartitions(String name, Collection<TopicPartition> partitions) {
        emit("{\"name\":\"" + name + "\",\"timestamp\":" + System.currentTimeMillis() + ",\"partitions\":" + json(partitions) + "}");
    }

    private static String json(Collection<TopicPartition> partitions) {
        StringBuilder out = new StringBuilder("[");
        for (TopicPartition partition : partitions) {
            if (out.length() > 1) out.append(',');
            out.append("{\"topic\":").append(json(partition.topic())).append(",\"partition\":").append(partition.partition()).append('}');
        }
        return out.append(']').toString();
    }

    private static String json(String text) {
        return Json.string(text);
    }
}

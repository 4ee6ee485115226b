import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Prepares a share group for retail-kafka-lab, before its members start:
 * checks that the cluster has share groups on (the share.version feature), then sets
 * the group's own configs (record lock duration, delivery count limit, where a new
 * group starts reading). kafkajs cannot alter group configs (resource type GROUP),
 * and one JVM here is cheaper than one kafka-configs run per setting.
 *
 * Usage: java -cp 'kafka/libs/*' ShareGroupSetup.java --bootstrap-server H:P --group-id G
 *        [--config client.properties] [--set key=value]...
 * Stdout: one JSON line, {"e":"ready","shareVersion":N} or {"e":"error","code":...,"message":...}.
 */
public final class ShareGroupSetup {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        String group = null;
        List<String[]> settings = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--bootstrap-server": props.put("bootstrap.servers", value); break;
                case "--group-id": group = value; break;
                case "--set": settings.add(value.split("=", 2)); break;
                case "--config":
                    try (InputStream in = new FileInputStream(value)) { props.load(in); }
                    break;
                default: throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        props.put("client.id", "retail-kafka-lab-share-setup");
        try (Admin admin = Admin.create(props)) {
            Map<String, FinalizedVersionRange> features =
                admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS).finalizedFeatures();
            FinalizedVersionRange share = features.get("share.version");
            int level = share == null ? 0 : share.maxVersionLevel();
            if (level < 1) {
                System.out.println("{\"e\":\"error\",\"code\":\"SHARE_GROUPS_DISABLED\",\"shareVersion\":" + level + "}");
                return;
            }
            List<AlterConfigOp> ops = new ArrayList<>();
            for (String[] setting : settings) {
                ops.add(new AlterConfigOp(new ConfigEntry(setting[0], setting[1]), AlterConfigOp.OpType.SET));
            }
            if (!ops.isEmpty()) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
                admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(30, TimeUnit.SECONDS);
            }
            System.out.println("{\"e\":\"ready\",\"shareVersion\":" + level + "}");
        } catch (Exception failure) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            String message = (cause.getClass().getSimpleName() + ": " + cause.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"");
            System.out.println("{\"e\":\"error\",\"code\":\"SETUP_FAILED\",\"message\":\"" + message + "\"}");
        }
    }
}

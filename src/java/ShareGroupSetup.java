import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Prepares a share group for retail-kafka-lab, before its members start:
 * checks that the cluster has share groups on (the share.version feature), then sets
 * the group's own configs (record lock duration, delivery count limit, where a new
 * group starts reading). kafkajs cannot alter group configs (resource type GROUP),
 * and one JVM here is cheaper than one kafka-configs run per setting.
 *
 * With --wait-members, it does none of that but waits until the group's description (what
 * kafka-share-groups --describe --members shows) lists a member for each given client id:
 * a member's subscribe() returns before it has joined, and a scenario that counts idle
 * members must not start before they all have.
 *
 * Usage: java -cp 'kafka/libs/*' ShareGroupSetup.java --bootstrap-server H:P --group-id G
 *        [--config client.properties] [--set key=value]... [--wait-members id1,id2 --timeout-ms N]
 * Stdout: one JSON line, {"e":"ready","shareVersion":N}, {"e":"members","count":N}
 * or {"e":"error","code":...,"message":...}.
 */
public final class ShareGroupSetup {
    public static void main(String[] args) throws Exception {
        LabArgs options = new LabArgs(args, Set.of("--set", "--wait-members", "--timeout-ms"));
        Properties props = options.props;
        String group = props.getProperty("group.id");
        List<String[]> settings = new ArrayList<>();
        for (String setting : options.all("--set")) settings.add(setting.split("=", 2));
        Set<String> waitFor = new HashSet<>();
        String members = options.get("--wait-members", "");
        if (!members.isEmpty()) waitFor.addAll(Arrays.asList(members.split(",")));
        long timeoutMs = Long.parseLong(options.get("--timeout-ms", "60000"));
        props.put("client.id", "retail-kafka-lab-share-setup");
        try (Admin admin = Admin.create(props)) {
            if (!waitFor.isEmpty()) {
                waitForMembers(admin, group, waitFor, timeoutMs);
                return;
            }
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
            String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            System.out.println("{\"e\":\"error\",\"code\":\"SETUP_FAILED\",\"message\":" + Json.string(message) + "}");
        }
    }

    private static void waitForMembers(Admin admin, String group, Set<String> clientIds, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Set<String> present = new HashSet<>();
        while (true) {
            present.clear();
            for (ShareMemberDescription member : admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get(30, TimeUnit.SECONDS).members()) {
                present.add(member.clientId());
            }
            if (present.containsAll(clientIds)) {
                System.out.println("{\"e\":\"members\",\"count\":" + present.size() + "}");
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                Set<String> absent = new HashSet<>(clientIds);
                absent.removeAll(present);
                System.out.println("{\"e\":\"error\",\"code\":\"MEMBERS_ABSENT\",\"message\":"
                    + Json.string("not in the group after " + timeoutMs + " ms: " + absent) + "}");
                return;
            }
            Thread.sleep(200);
        }
    }
}

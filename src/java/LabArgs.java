import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The command line of one of the lab's Java programs: `--name value` pairs. The connection
 * ones become client properties (--bootstrap-server, --group-id, --client-id, and a properties
 * file given with --config or --consumer.config, which holds security settings); the program's
 * own names are kept to ask for. An unknown name is an error.
 */
final class LabArgs {
    final Properties props = new Properties();
    private final Map<String, List<String>> options = new HashMap<>();

    LabArgs(String[] args, Set<String> known) throws IOException {
        for (int i = 0; i + 1 < args.length; i += 2) {
            String name = args[i];
            String value = args[i + 1];
            switch (name) {
                case "--bootstrap-server": props.put("bootstrap.servers", value); break;
                case "--group-id": props.put("group.id", value); break;
                case "--client-id": props.put("client.id", value); break;
                case "--config":
                case "--consumer.config":
                    try (InputStream in = new FileInputStream(value)) { props.load(in); }
                    break;
                default:
                    if (!known.contains(name)) throw new IllegalArgumentException("Unknown option " + name);
                    options.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        if (!props.containsKey("bootstrap.servers") || !props.containsKey("group.id")) {
            throw new IllegalArgumentException("--bootstrap-server and --group-id are required");
        }
    }

    /** The last value given for `name`, or `fallback`. */
    String get(String name, String fallback) {
        List<String> values = options.get(name);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    /** Every value given for `name` (an option that may repeat), in order. */
    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    String require(String name) {
        String value = get(name, null);
        if (value == null) throw new IllegalArgumentException(name + " is required");
        return value;
    }

    /** Prints one JSON line on stdout at once (members print from their poll loop and their listener threads). */
    static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * Prints a header line that names `length`, then exactly that many raw bytes, at once: the
     * lab's reader (src/consume/javaOutput.ts) takes the bytes after such a line as one frame.
     */
    static synchronized void emitFrame(String header, byte[] bytes, int length) {
        System.out.println(header);
        System.out.write(bytes, 0, length);
        System.out.flush();
    }
}

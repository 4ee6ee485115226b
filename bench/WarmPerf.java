import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one of Kafka's performance tools twice in one JVM: a warm-up run, then the
 * measured run. A fresh JVM per run would be measured cold (interpreted code, JIT
 * compiling as it goes) while the lab's Node process has already run a warm-up;
 * this gives Kafka's tool the same warm start.
 *
 *   java -cp KAFKA_LIBS bench/WarmPerf.java MAIN_CLASS WARM-UP ARGS... --measured-run MEASURED ARGS...
 *
 * Prints MEASURED_MARK on stdout between the two runs, so the caller reads only
 * what the measured run printed.
 */
public class WarmPerf {
  static final String SEPARATOR = "--measured-run";
  static final String MEASURED_MARK = "=== measured run ===";

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: WarmPerf MAIN_CLASS WARM-UP ARGS... " + SEPARATOR + " MEASURED ARGS...");
      System.exit(2);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    int at = rest.indexOf(SEPARATOR);
    if (at < 0) {
      System.err.println("WarmPerf: no " + SEPARATOR + " between the warm-up and the measured arguments");
      System.exit(2);
    }
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) new ArrayList<>(rest.subList(0, at)).toArray(new String[0]));
    System.out.println(MEASURED_MARK);
    System.out.flush();
    main.invoke(null, (Object) new ArrayList<>(rest.subList(at + 1, rest.size())).toArray(new String[0]));
    System.out.flush();
  }
}

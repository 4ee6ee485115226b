import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class (a lab member, or one of Kafka's tools such as VerifiableConsumer)
 * and ends the JVM when its standard input closes. retail-kafka-lab gives every Java child a
 * stdin pipe and never writes to it: the pipe closes when the node process that started the
 * child dies, even by SIGKILL, so no member outlives the notebook or command that ran it.
 * (Java's PrintStream swallows EPIPE, so a dead reader of stdout alone would not stop it.)
 *
 * The exit runs the program's shutdown hooks (a member leaves its group cleanly); if they
 * hang, the JVM halts after 15 s.
 *
 * Usage: java -cp ... ParentWatch <main class> [its arguments...]
 */
public final class ParentWatch {
    public static void main(String[] args) throws Throwable {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // Nothing is ever written; reading only waits for end of file.
                }
            } catch (IOException closed) {
                // A broken pipe is the same news: the parent is gone.
            }
            Thread halt = new Thread(() -> {
                try { Thread.sleep(15_000); } catch (InterruptedException ignored) { }
                Runtime.getRuntime().halt(1);
            }, "parent-watch-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException failure) {
            throw failure.getCause();
        }
    }
}

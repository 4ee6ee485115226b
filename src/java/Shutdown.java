import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member's clean stop on SIGTERM: the shutdown hook asks the poll loop to stop (and wakes
 * the client out of a blocking call), then waits until the member says it has closed, so the
 * JVM does not end before the member has committed and left its group. SIGKILL skips all of it.
 */
final class Shutdown {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch closed = new CountDownLatch(1);

    Shutdown(Runnable wakeup) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            wakeup.run();
            try { closed.await(); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        }));
    }

    boolean running() {
        return running.get();
    }

    /** The member has closed its client: the JVM may end. */
    void closed() {
        closed.countDown();
    }
}

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue benchmark's peer: the least a claim and a completion can cost on a database, a bare UPDATE of one row to
 * RUNNING under a lease and a second to SUCCEEDED, each its own commit, from as many connections as the benchmark
 * has agents. Prints one line: {@code rows seconds claimP50Millis claimP99Millis}.
 *
 * <pre>java -cp h2.jar:postgresql.jar UpdatePeer.java URL USER PASSWORD ROWS CONNECTIONS</pre>
 *
 * With {@code schema URL USER PASSWORD create|drop NAME} it makes or removes a scratch schema for a benchmark run.
 */
public class UpdatePeer {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("schema")) {
            try (Connection c = DriverManager.getConnection(args[1], args[2], args[3]);
                    Statement s = c.createStatement()) {
                s.execute(args[4].equals("create") ? "CREATE SCHEMA " + args[5]
                        : "DROP SCHEMA IF EXISTS " + args[5] + " CASCADE");
            }
            return;
        }
        String url = args[0], user = args[1], password = args[2];
        int rows = Integer.parseInt(args[3]), connections = Integer.parseInt(args[4]);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS pb_update_peer");
            s.execute("CREATE TABLE pb_update_peer (id VARCHAR(64) PRIMARY KEY, state VARCHAR(16) NOT NULL, "
                    + "lease_owner VARCHAR(128), lease_expires_at TIMESTAMP WITH TIME ZONE)");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO pb_update_peer VALUES (?, 'QUEUED', "
                    + "NULL, NULL)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setString(1, "job-" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        AtomicInteger next = new AtomicInteger();
        long[] claimNanos = new long[rows];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < connections; t++) {
            Thread thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password);
                        PreparedStatement claim = c.prepareStatement("UPDATE pb_update_peer SET state = 'RUNNING', "
                                + "lease_owner = ?, lease_expires_at = ? WHERE id = ? AND state = 'QUEUED'");
                        PreparedStatement done = c.prepareStatement("UPDATE pb_update_peer SET state = 'SUCCEEDED', "
                                + "lease_owner = NULL WHERE id = ? AND lease_owner = ?")) {
                    c.setAutoCommit(true);
                    for (int i; (i = next.getAndIncrement()) < rows;) {
                        long t0 = System.nanoTime();
                        claim.setString(1, "peer");
                        claim.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(60)));
                        claim.setString(3, "job-" + i);
                        if (claim.executeUpdate() != 1) {
                            throw new IllegalStateException("row job-" + i + " was not QUEUED");
                        }
                        claimNanos[i] = System.nanoTime() - t0;
                        done.setString(1, "job-" + i);
                        done.setString(2, "peer");
                        done.executeUpdate();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE pb_update_peer");
        }
        Arrays.sort(claimNanos);
        System.out.printf(java.util.Locale.ROOT, "%d %.3f %.3f %.3f%n", rows, seconds,
                claimNanos[(int) (rows * 0.50)] / 1e6, claimNanos[Math.min(rows - 1, (int) (rows * 0.99))] / 1e6);
    }
}

package io.certloop.fleet;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Which agents poll, for which group, with which version, and when they last did: written at every long poll an
 * agent opens on the engine API, read by {@code GET /api/agents}. A group whose last poll is old has no agent to
 * deliver to; its runbook steps escalate after {@code certloop.agent.deliver-within}.
 */
@Service
public class AgentPolls {

    private static final int MAX_WORKER = 255;
    private static final int MAX_VERSION = 64;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    AgentPolls(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** One agent polled for {@code group}. */
    public void record(String group, String workerId, String version, String userId) {
        Timestamp now = Timestamp.from(clock.instant());
        String worker = cut(workerId == null || workerId.isBlank() ? "unnamed" : workerId, MAX_WORKER);
        String agentVersion = cut(version == null || version.isBlank() ? "unknown" : version, MAX_VERSION);
        String user = cut(userId, MAX_WORKER);
        String update = "UPDATE agent_poll SET agent_version = ?, user_id = ?, last_poll_at = ?"
                + " WHERE group_name = ? AND worker_id = ?";
        if (jdbc.update(update, agentVersion, user, now, group, worker) > 0) {
            return;
        }
        try {
            jdbc.update(
                    "INSERT INTO agent_poll (group_name, worker_id, agent_version, user_id, first_poll_at,"
                            + " last_poll_at) VALUES (?, ?, ?, ?, ?, ?)",
                    group,
                    worker,
                    agentVersion,
                    user,
                    now,
                    now);
        } catch (DuplicateKeyException e) {
            jdbc.update(update, agentVersion, user, now, group, worker); // another node inserted it first
        }
    }

    /** Groups by name, each with its workers, newest poll first. */
    public List<AgentGroup> groups(int offset, int fetch) {
        Map<String, List<AgentGroup.Worker>> byGroup = new LinkedHashMap<>();
        jdbc.query(
                "SELECT group_name, worker_id, agent_version, user_id, first_poll_at, last_poll_at FROM agent_poll"
                        + " ORDER BY group_name, last_poll_at DESC",
                rs -> {
                    byGroup.computeIfAbsent(rs.getString("group_name"), g -> new ArrayList<>())
                            .add(new AgentGroup.Worker(
                                    rs.getString("worker_id"),
                                    rs.getString("agent_version"),
                                    rs.getString("user_id"),
                                    rs.getTimestamp("first_poll_at").toInstant(),
                                    rs.getTimestamp("last_poll_at").toInstant()));
                });
        List<AgentGroup> all = new ArrayList<>();
        byGroup.forEach((group, workers) -> {
            AgentGroup.Worker newest = workers.get(0);
            all.add(new AgentGroup(group, newest.lastPollAt(), newest.version(), List.copyOf(workers)));
        });
        return all.subList(Math.min(offset, all.size()), (int) Math.min(all.size(), (long) offset + fetch));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** When the group was last heard from. */
    public record AgentGroup(String group, Instant lastPollAt, String version, List<Worker> workers) {

        /** One agent (host) of the group. */
        public record Worker(String workerId, String version, String user, Instant firstPollAt, Instant lastPollAt) {}
    }
}

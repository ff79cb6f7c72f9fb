package io.certloop.audit;

import java.time.Instant;
import java.util.List;

/**
 * The runbook as the engine knows it (its history and open tasks, behind a port so audit stays engine-free).
 * The history is empty once the engine's history cleanup removed it: the timeline still tells the story.
 */
public interface ProcessHistory {

    List<Activity> activities(String processInstanceId);

    /** False when the engine holds no history of the instance (never started, or removed by history cleanup). */
    boolean available(String processInstanceId);

    /** The instance's tasks waiting for a person, oldest first; empty when it has ended. */
    List<OpenTask> openTasks(String processInstanceId);

    /** One step: what, when, and who completed it (user tasks only). */
    record Activity(
            String activityId,
            String name,
            String type,
            Instant started,
            Instant ended,
            String assignee,
            String completedBy) {}

    /** A task waiting in Tasklist: its id (for the Tasklist link), name, since when and whom. */
    record OpenTask(String id, String name, String taskKey, Instant created, String assignee) {}
}

package io.certloop.audit;

import java.time.Instant;
import java.util.List;

/**
 * The runbook's activity history (the engine's history service, behind a port so audit stays
 * engine-free). Empty once the engine's history cleanup removed it: the timeline still tells the story.
 */
public interface ProcessHistory {

    List<Activity> activities(String processInstanceId);

    /** One step: what, when, and who completed it (user tasks only). */
    record Activity(
            String activityId,
            String name,
            String type,
            Instant started,
            Instant ended,
            String assignee,
            String completedBy) {}
}

package io.certloop.fleet;

import io.certloop.system.Page;
import io.certloop.system.Paging;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The agent groups the server has heard from, for every group of people: is a group's agent alive, which version. */
@RestController
class AgentController {

    private final AgentPolls polls;
    private final Paging paging;

    AgentController(AgentPolls polls, Paging paging) {
        this.polls = polls;
        this.paging = paging;
    }

    /** Groups by name with their last poll time and version, and each agent (worker) of the group. */
    @GetMapping("/api/agents")
    ResponseEntity<List<AgentPolls.AgentGroup>> list(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) Integer offset) {
        Page page = paging.of(limit, offset);
        return page.answer(polls.groups(page.offset(), page.fetch()));
    }
}

package io.certloop.deployment;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The contract between the server's runbooks and the agents on the services' hosts: the external task topics of an
 * agent group, and the names of what travels with them. Only public data travels: names, paths, the CSR, the
 * certificate and its chain, outcomes and reload output; never a private key.
 */
public final class AgentTopics {

    /** The agent of a group makes a key and answers with its CSR. */
    public static final String CSR_PREFIX = "certloop-agent-csr.";
    /** The agent of a group deploys, rolls back or releases. */
    public static final String DEPLOY_PREFIX = "certloop-agent-deploy.";
    /** The BPMN error code an agent reports a failed deployment with (output in the error message). */
    public static final String FAILURE = "AGENT_FAILURE";

    // variables the server gives the agent (read by the agent)
    public static final String REQUEST_ID = "agentRequestId";
    public static final String NAMES = "agentNames";
    public static final String KEY_TYPE = "agentKeyType";
    public static final String ACTION = "agentAction";
    public static final String DEPLOYMENT_ID = "agentDeploymentId";
    public static final String CERTIFICATE_PATH = "agentCertificatePath";
    public static final String CHAIN_PATH = "agentChainPath";
    public static final String FULLCHAIN_PATH = "agentFullchainPath";
    public static final String KEY_PATH = "agentKeyPath";
    public static final String RELOAD_ACTION = "agentReloadAction";
    public static final String LEAF_PEM = "agentLeafPem";
    public static final String CHAIN_PEMS = "agentChainPems";
    public static final String ANSWER_HOST = "agentAnswerHost";
    public static final String ANSWER_PORT = "agentAnswerPort";

    // local variables the agent answers with (the only ones the server accepts from an agent)
    public static final String CSR = "agentCsr";
    public static final String OUTCOME = "agentOutcome";
    public static final String OUTPUT = "agentOutput";

    public static final String ACTION_DEPLOY = "deploy";
    public static final String ACTION_ROLLBACK = "rollback";
    public static final String ACTION_RELEASE = "release";

    private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private AgentTopics() {}

    /** Whether {@code name} is a valid agent group (it becomes part of topic names). */
    public static boolean isGroup(String name) {
        return name != null && GROUP.matcher(name).matches();
    }

    public static String csrTopic(String group) {
        return CSR_PREFIX + requireGroup(group);
    }

    public static String deployTopic(String group) {
        return DEPLOY_PREFIX + requireGroup(group);
    }

    /** The group of an agent topic; empty for any other topic. */
    public static Optional<String> groupOf(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        for (String prefix : new String[] {CSR_PREFIX, DEPLOY_PREFIX}) {
            if (topic.startsWith(prefix) && isGroup(topic.substring(prefix.length()))) {
                return Optional.of(topic.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    private static String requireGroup(String group) {
        if (!isGroup(group)) {
            throw new IllegalArgumentException("not an agent group: " + group);
        }
        return group;
    }
}

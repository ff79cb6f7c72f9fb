package io.certloop.inventory;

import io.certloop.deployment.AgentTopics;
import io.certloop.system.FieldError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an endpoint request and builds the endpoint it describes. Every problem is collected with
 * the JSON path of its field, so one answer tells the client everything that is wrong.
 */
class EndpointValidator {

    /** Only the break-glass runbook issues from it; no endpoint may carry it. */
    static final String EMERGENCY_PROFILE = "emergency";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern LABEL = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:.]+(%[a-z0-9]+)?");
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final int MAX_ADDRESSES = 32;
    private static final int MAX_EXPECTED_NAMES = 100;
    private static final int MAX_EXPECTED_NAMES_CHARS = 7900;
    private static final int MAX_PATH = 900;
    private static final int MAX_PARTNER_CONTACTS = 15;

    private final ReloadActionCatalog reloadActions;
    private final DeploymentPathRules deploymentPaths;
    private final IssuanceNameRules issuance;

    EndpointValidator(
            ReloadActionCatalog reloadActions, DeploymentPathRules deploymentPaths, IssuanceNameRules issuance) {
        this.reloadActions = reloadActions;
        this.deploymentPaths = deploymentPaths;
        this.issuance = issuance;
    }

    /** The endpoint, or the list of problems under {@code prefix} (for example {@code endpoints[3].}). */
    Result validate(EndpointRequest request, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldError(
                    prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), "is required"));
            return new Result(null, errors);
        }
        sizes(request, prefix, errors);
        String name = trim(request.name());
        if (name == null) {
            errors.add(new FieldError(prefix + "name", "is required"));
        } else if (!NAME.matcher(name).matches() || DIGITS.matcher(name).matches()) {
            errors.add(
                    new FieldError(
                            prefix + "name",
                            "must be 1-128 letters, digits, '.', '_' or '-', start with a letter or digit, and not be all digits"));
        }
        String host = lower(request.host());
        if (host == null) {
            errors.add(new FieldError(prefix + "host", "is required"));
        } else if (!isHostOrAddress(host)) {
            errors.add(new FieldError(prefix + "host", "is not a valid host name or IP address: " + host));
        }
        int port = request.port() == null ? 443 : request.port();
        if (port < 1 || port > 65535) {
            errors.add(new FieldError(prefix + "port", "must be between 1 and 65535, was " + port));
        }
        String sni = lower(request.sni());
        if (sni != null && !isHostName(sni)) {
            errors.add(new FieldError(prefix + "sni", "must be a DNS host name, was " + sni));
        }
        List<String> addresses = new ArrayList<>();
        List<String> requestedAddresses = request.addresses() == null ? List.of() : request.addresses();
        for (int i = 0; i < requestedAddresses.size(); i++) {
            String address = lower(requestedAddresses.get(i));
            if (address == null || !isAddress(address)) {
                errors.add(new FieldError(prefix + "addresses[" + i + "]", "must be an IP address, was " + address));
            } else {
                addresses.add(address);
            }
        }
        LinkedHashSet<String> expectedNames = new LinkedHashSet<>();
        List<String> namesField = new ArrayList<>(); // the field each expected name came from
        List<String> requestedNames = request.expectedNames() == null ? List.of() : request.expectedNames();
        for (int i = 0; i < requestedNames.size(); i++) {
            String expected = lower(requestedNames.get(i));
            if (expected == null || !isCertificateName(expected)) {
                errors.add(new FieldError(
                        prefix + "expectedNames[" + i + "]",
                        "must be a DNS name, a wildcard like *.example.com, or an IP address, was " + expected));
            } else if (expectedNames.add(expected)) {
                namesField.add(prefix + "expectedNames[" + i + "]");
            }
        }
        if (expectedNames.isEmpty() && (sni != null || host != null)) {
            expectedNames.add(sni != null ? sni : host);
            namesField.add(prefix + (sni != null ? "sni" : "host"));
        }
        Integer tier = request.tier();
        if (tier == null) {
            errors.add(new FieldError(prefix + "tier", "is required (0 is most critical, 3 least)"));
        } else if (tier < 0 || tier > 3) {
            errors.add(new FieldError(prefix + "tier", "must be 0, 1, 2 or 3 (0 is most critical), was " + tier));
        }
        Environment environment = null;
        if (request.environment() == null) {
            errors.add(new FieldError(prefix + "environment", "is required, one of " + Environment.allowed()));
        } else {
            environment = Environment.parse(request.environment()).orElse(null);
            if (environment == null) {
                errors.add(new FieldError(
                        prefix + "environment",
                        "must be one of " + Environment.allowed() + ", was " + request.environment()));
            }
        }
        Owner serviceOwner = owner(request.serviceOwner(), prefix + "serviceOwner", errors);
        Owner certificateOwner = owner(request.certificateOwner(), prefix + "certificateOwner", errors);
        ReplacementPath replacementPath = ReplacementPath.MANUAL;
        if (request.replacementPath() != null) {
            replacementPath = ReplacementPath.parse(request.replacementPath()).orElse(null);
            if (replacementPath == null) {
                errors.add(new FieldError(
                        prefix + "replacementPath",
                        "must be one of " + ReplacementPath.allowed() + ", was " + request.replacementPath()));
            }
        }
        String profile =
                request.profile() == null ? "standard" : request.profile().trim();
        if (!PROFILE.matcher(profile).matches()) {
            errors.add(
                    new FieldError(prefix + "profile", "must be a profile name of lower-case letters, digits and '-'"));
        }
        if (EMERGENCY_PROFILE.equals(profile)) {
            errors.add(
                    new FieldError(
                            prefix + "profile",
                            "the emergency profile is issued only by the break-glass runbook "
                                    + "(POST /api/incidents/{id}/break-glass, approved by others); give the endpoint its standard profile"));
        } else if (PROFILE.matcher(profile).matches()) {
            issuableNames(profile, replacementPath, expectedNames, namesField, prefix, errors);
        }
        FileDeployment deployment = deployment(request.deployment(), prefix + "deployment", errors);
        String expectedSha256 = null;
        if (request.expectedSha256() != null && !request.expectedSha256().isBlank()) {
            expectedSha256 = request.expectedSha256().replace(":", "").trim().toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(expectedSha256).matches()) {
                errors.add(new FieldError(prefix + "expectedSha256", "must be a SHA-256 fingerprint: 64 hex digits"));
            }
        }
        List<String> partnerContacts = partnerContacts(request.partnerContacts(), prefix, errors);
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(
                new Endpoint(
                        null,
                        name,
                        host,
                        port,
                        sni,
                        addresses,
                        List.copyOf(expectedNames),
                        tier,
                        environment,
                        serviceOwner,
                        certificateOwner,
                        replacementPath,
                        profile,
                        deployment,
                        expectedSha256,
                        null,
                        null,
                        partnerContacts),
                List.of());
    }

    /**
     * Partner contacts: at most {@value #MAX_PARTNER_CONTACTS} e-mail addresses (each at most 254 characters, as the
     * owners' columns), kept lower-case in their first order without repeats.
     */
    private static List<String> partnerContacts(List<String> requested, String prefix, List<FieldError> errors) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > MAX_PARTNER_CONTACTS) {
            errors.add(new FieldError(
                    prefix + "partnerContacts", "must list at most " + MAX_PARTNER_CONTACTS + " e-mail addresses"));
            return List.of();
        }
        LinkedHashSet<String> contacts = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String contact = trim(requested.get(i));
            if (contact == null
                    || contact.length() > 254
                    || !EMAIL.matcher(contact).matches()) {
                errors.add(new FieldError(prefix + "partnerContacts[" + i + "]", "must be an e-mail address"));
            } else {
                contacts.add(contact.toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(contacts);
    }

    /**
     * An endpoint CertLoop obtains certificates for (internal CA, ACME, admin-mediated) may expect only names its
     * profile may issue for. A manual endpoint is watched, not issued for, and may expect any name: issuance for it
     * (break-glass) is judged by the issuer, which refuses names outside the profile whatever the inventory says.
     */
    private void issuableNames(
            String profile,
            ReplacementPath replacementPath,
            LinkedHashSet<String> expectedNames,
            List<String> namesField,
            String prefix,
            List<FieldError> errors) {
        if (!issuance.hasProfile(profile)) {
            errors.add(new FieldError(
                    prefix + "profile",
                    "names no issuance profile configured on this server (certloop.issuance.profiles): " + profile));
            return;
        }
        if (replacementPath == null || replacementPath == ReplacementPath.MANUAL) {
            return;
        }
        int i = 0;
        for (String name : expectedNames) {
            String field = namesField.get(i++);
            issuance.refusal(profile, name)
                    .ifPresent(reason -> errors.add(new FieldError(
                            field,
                            reason + "; replacement path " + replacementPath.value()
                                    + " issues only for the profile's domains")));
        }
    }

    private static Owner owner(EndpointRequest.OwnerRequest owner, String field, List<FieldError> errors) {
        if (owner == null) {
            return null;
        }
        String team = trim(owner.team());
        String email = trim(owner.email());
        if (team == null && email == null) {
            return null;
        }
        if (team != null && team.length() > 128) {
            errors.add(new FieldError(field + ".team", "must be at most 128 characters"));
        }
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            errors.add(new FieldError(field + ".email", "is not a valid email address: " + email));
        }
        return new Owner(team, email == null ? null : email.toLowerCase(Locale.ROOT));
    }

    private FileDeployment deployment(
            EndpointRequest.DeploymentRequest deployment, String field, List<FieldError> errors) {
        if (deployment == null) {
            return null;
        }
        String type = deployment.type() == null ? FileDeployment.TYPE_FILES : deployment.type();
        boolean agent = FileDeployment.TYPE_AGENT.equals(type);
        if (!agent && !FileDeployment.TYPE_FILES.equals(type)) {
            errors.add(new FieldError(field + ".type", "must be \"files\" or \"agent\", was " + type));
        }
        String group = trim(deployment.agentGroup());
        if (agent && (group == null || !AgentTopics.isGroup(group))) {
            errors.add(new FieldError(
                    field + ".agentGroup",
                    "is required for type agent: 1-63 lower-case letters, digits or '-', was " + group));
        } else if (!agent && group != null) {
            errors.add(new FieldError(field + ".agentGroup", "is only for type agent"));
        }
        // an agent writes on its own host, under its own allowed directories and reload actions: the server's
        // configuration does not apply to those paths and names (the agent checks them against its own)
        String certificate = path(deployment.certificatePath(), field + ".certificatePath", !agent, errors);
        String chain = path(deployment.chainPath(), field + ".chainPath", !agent, errors);
        String fullchain = path(deployment.fullchainPath(), field + ".fullchainPath", !agent, errors);
        String key = path(deployment.keyPath(), field + ".keyPath", !agent, errors);
        if (trim(deployment.keyPath()) == null) {
            errors.add(new FieldError(field + ".keyPath", "is required"));
        }
        if (trim(deployment.certificatePath()) == null
                && trim(deployment.chainPath()) == null
                && trim(deployment.fullchainPath()) == null) {
            errors.add(new FieldError(
                    field + ".certificatePath", "one of certificatePath, chainPath or fullchainPath is required"));
        }
        String reload = trim(deployment.reloadAction());
        if (agent) {
            if (reload == null || !AgentTopics.isGroup(reload.toLowerCase(Locale.ROOT)) || reload.length() > 63) {
                errors.add(new FieldError(
                        field + ".reloadAction",
                        "is required for type agent: the name of a reload action in the agent's configuration"));
            }
        } else if (reload != null && !reloadActions.exists(reload)) {
            errors.add(new FieldError(
                    field + ".reloadAction",
                    "names no reload action defined in server configuration" + " (certloop.deployment.reload-actions): "
                            + reload));
        }
        return new FileDeployment(
                agent ? FileDeployment.TYPE_AGENT : FileDeployment.TYPE_FILES,
                certificate,
                chain,
                fullchain,
                key,
                reload,
                agent ? group : null);
    }

    private String path(String value, String field, boolean serverWrites, List<FieldError> errors) {
        String path = trim(value);
        if (path == null) {
            return null;
        }
        if (!path.startsWith("/")
                || path.contains("\0")
                || !Path.of(path).normalize().toString().equals(path)) {
            errors.add(new FieldError(field, "must be an absolute, normalized file path, was " + path));
        } else if (serverWrites) {
            deploymentPaths.refusal(path).ifPresent(reason -> errors.add(new FieldError(field, reason)));
        }
        return path;
    }

    private static boolean isHostOrAddress(String host) {
        return isAddress(host) || isHostName(host);
    }

    static boolean isAddress(String value) {
        if (IPV4.matcher(value).matches()) {
            for (String part : value.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return value.contains(":") && IPV6.matcher(value).matches();
    }

    static boolean isHostName(String value) {
        if (value.length() > 253 || value.endsWith(".") || IPV4.matcher(value).matches()) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isCertificateName(String value) {
        if (value.startsWith("*.")) {
            return isHostName(value.substring(2)) && value.substring(2).contains(".");
        }
        return isHostName(value) || isAddress(value);
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String lower(String value) {
        String trimmed = trim(value);
        return trimmed == null ? null : trimmed.toLowerCase(Locale.ROOT);
    }

    /**
     * What fits the inventory's columns (addresses 4000 characters, expected names 8000, the deployment's four
     * paths 4000), checked before anything else so an over-long list or path is named, never a failed write.
     */
    private static void sizes(EndpointRequest request, String prefix, List<FieldError> errors) {
        if (request.addresses() != null && request.addresses().size() > MAX_ADDRESSES) {
            errors.add(new FieldError(prefix + "addresses", "must list at most " + MAX_ADDRESSES + " addresses"));
        }
        List<String> names = request.expectedNames() == null ? List.of() : request.expectedNames();
        if (names.size() > MAX_EXPECTED_NAMES) {
            errors.add(new FieldError(prefix + "expectedNames", "must list at most " + MAX_EXPECTED_NAMES + " names"));
        } else if (names.stream()
                        .mapToInt(n -> n == null ? 0 : n.strip().length() + 3)
                        .sum()
                > MAX_EXPECTED_NAMES_CHARS) {
            errors.add(new FieldError(
                    prefix + "expectedNames",
                    "must together have at most " + MAX_EXPECTED_NAMES_CHARS + " characters"));
        }
        EndpointRequest.DeploymentRequest deployment = request.deployment();
        if (deployment != null) {
            Map<String, String> paths = new LinkedHashMap<>();
            paths.put("certificatePath", deployment.certificatePath());
            paths.put("chainPath", deployment.chainPath());
            paths.put("fullchainPath", deployment.fullchainPath());
            paths.put("keyPath", deployment.keyPath());
            paths.forEach((field, path) -> {
                if (path != null && path.strip().length() > MAX_PATH) {
                    errors.add(new FieldError(
                            prefix + "deployment." + field, "must be at most " + MAX_PATH + " characters"));
                }
            });
        }
    }

    record Result(Endpoint endpoint, List<FieldError> errors) {}
}

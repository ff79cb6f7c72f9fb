package io.certloop.inventory;

import io.certloop.system.FieldError;
import io.certloop.system.InvalidRequestException;
import io.certloop.system.NotFoundException;
import io.certloop.system.Page;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The estate as data: endpoints, owners, tiers and expectations. Every write is validated in
 * full before anything is stored, and an import is all or nothing.
 */
@Service
public class InventoryService {

    private final EndpointRepository repository;
    private final EndpointValidator validator;
    private final Clock clock;

    InventoryService(
            EndpointRepository repository,
            ReloadActionCatalog reloadActions,
            DeploymentPathRules deploymentPaths,
            IssuanceNameRules issuance,
            Clock clock) {
        this.repository = repository;
        this.validator = new EndpointValidator(reloadActions, deploymentPaths, issuance);
        this.clock = clock;
    }

    public List<Endpoint> list() {
        return repository.findAll();
    }

    /** By name: {@link Page#fetch()} endpoints after the page's offset. */
    public List<Endpoint> list(Page page) {
        return repository.findAll(page.offset(), page.fetch());
    }

    /** By numeric id or by name. */
    public Optional<Endpoint> find(String ref) {
        if (ref != null && ref.chars().allMatch(Character::isDigit) && !ref.isEmpty() && ref.length() < 19) {
            return repository.findById(Long.parseLong(ref));
        }
        return repository.findByName(ref);
    }

    public Endpoint get(String ref) {
        return find(ref).orElseThrow(() -> new NotFoundException("No inventory endpoint " + ref));
    }

    public Optional<Endpoint> findByName(String name) {
        return repository.findByName(name);
    }

    /** Endpoints served at host:port, matched on host or SNI name. */
    public List<Endpoint> findByTarget(String host, int port) {
        return repository.findByHostAndPort(host.toLowerCase(java.util.Locale.ROOT), port);
    }

    @Transactional
    public Endpoint create(EndpointRequest request) {
        Endpoint endpoint = valid(request);
        if (repository.findByName(endpoint.name()).isPresent()) {
            throw new InvalidRequestException("name", "an endpoint named " + endpoint.name() + " already exists");
        }
        return repository.insert(endpoint, clock.instant());
    }

    @Transactional
    public Endpoint update(String ref, EndpointRequest request) {
        Endpoint current = get(ref);
        Endpoint endpoint = valid(request);
        repository
                .findByName(endpoint.name())
                .filter(other -> !other.id().equals(current.id()))
                .ifPresent(other -> {
                    throw new InvalidRequestException(
                            "name", "an endpoint named " + endpoint.name() + " already exists");
                });
        repository.update(current.id(), endpoint, clock.instant());
        return repository.findById(current.id()).orElseThrow();
    }

    @Transactional
    public void delete(String ref) {
        repository.delete(get(ref).id());
    }

    /** Records a newly learned owner (runbooks ask the incident commander when nobody was known). */
    @Transactional
    public Endpoint recordOwners(String ref, Owner serviceOwner, Owner certificateOwner) {
        Endpoint e = get(ref);
        Endpoint updated = new Endpoint(
                e.id(),
                e.name(),
                e.host(),
                e.port(),
                e.sni(),
                e.addresses(),
                e.expectedNames(),
                e.tier(),
                e.environment(),
                serviceOwner != null ? serviceOwner : e.serviceOwner(),
                certificateOwner != null ? certificateOwner : e.certificateOwner(),
                e.replacementPath(),
                e.profile(),
                e.deployment(),
                e.expectedSha256(),
                e.createdAt(),
                e.updatedAt(),
                e.partnerContacts());
        repository.update(e.id(), updated, clock.instant());
        return repository.findById(e.id()).orElseThrow();
    }

    /** Issuance sets the fingerprint the service should present from now on. */
    @Transactional
    public void recordExpectedSha256(String ref, String sha256) {
        repository.updateExpectedSha256(get(ref).id(), sha256, clock.instant());
    }

    /**
     * Creates or updates every endpoint of the document by name; with {@code prune}, deletes the
     * endpoints the document does not name. Validates everything first: one bad entry writes nothing.
     */
    @Transactional
    public ImportResult importAll(List<EndpointRequest> requests, boolean prune) {
        List<FieldError> errors = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            EndpointValidator.Result result = validator.validate(requests.get(i), "endpoints[" + i + "].");
            errors.addAll(result.errors());
            if (result.endpoint() != null) {
                if (!names.add(result.endpoint().name())) {
                    errors.add(new FieldError(
                            "endpoints[" + i + "].name",
                            "duplicate name in this document: "
                                    + result.endpoint().name()));
                }
                endpoints.add(result.endpoint());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Map<String, Endpoint> existing = new HashMap<>();
        repository.findAll().forEach(e -> existing.put(e.name(), e));
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        var now = clock.instant();
        for (Endpoint endpoint : endpoints) {
            Endpoint current = existing.remove(endpoint.name());
            if (current == null) {
                repository.insert(endpoint, now);
                created++;
            } else if (sameContent(current, endpoint)) {
                unchanged++;
            } else {
                repository.update(current.id(), endpoint, now);
                updated++;
            }
        }
        int deleted = 0;
        if (prune) {
            for (Endpoint gone : existing.values()) {
                repository.delete(gone.id());
                deleted++;
            }
        }
        return new ImportResult(created, updated, unchanged, deleted);
    }

    private static boolean sameContent(Endpoint a, Endpoint b) {
        return a.withIdentity(null, null, null).equals(b.withIdentity(null, null, null));
    }

    private Endpoint valid(EndpointRequest request) {
        EndpointValidator.Result result = validator.validate(request, "");
        if (!result.errors().isEmpty()) {
            throw new InvalidRequestException(result.errors());
        }
        return result.endpoint();
    }

    public record ImportResult(int created, int updated, int unchanged, int deleted) {}
}

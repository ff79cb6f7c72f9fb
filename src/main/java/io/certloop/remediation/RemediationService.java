package io.certloop.remediation;

import io.certloop.custody.KeyCustody;
import io.certloop.deployment.CertificateMaterial;
import io.certloop.deployment.Deployer;
import io.certloop.deployment.DeploymentRequest;
import io.certloop.deployment.DeploymentResult;
import io.certloop.deployment.DeploymentTarget;
import io.certloop.deployment.ServiceAddress;
import io.certloop.detection.EndpointProbeService;
import io.certloop.detection.Presenting;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.FileDeployment;
import io.certloop.inventory.InventoryService;
import io.certloop.issuance.AdminMediatedIssuer;
import io.certloop.issuance.IssuanceException;
import io.certloop.issuance.IssuanceProperties;
import io.certloop.issuance.IssuanceStep;
import io.certloop.issuance.IssueRequest;
import io.certloop.issuance.IssuedCertificate;
import io.certloop.issuance.IssuedCertificateStore;
import io.certloop.issuance.Issuers;
import io.certloop.issuance.RenewalWindows;
import io.certloop.issuance.RevocationReason;
import io.certloop.issuance.ca.InternalCaIssuer;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeReport;
import io.certloop.probe.ProbeRequest;
import io.certloop.probe.TlsProber;
import io.certloop.system.Concurrently;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Composes the capabilities (probe, issuance, custody, deployment) around one inventory endpoint:
 * confirm, issue, deploy, verify, roll back. Runbook delegates call one method per BPMN step; the
 * operator API calls {@link #replace} for the whole loop. Nothing here knows about the engine.
 */
@Service
public class RemediationService {

    private static final Logger log = LoggerFactory.getLogger(RemediationService.class);

    private final InventoryService inventory;
    private final Issuers issuers;
    private final IssuedCertificateStore certificates;
    private final KeyCustody custody;
    private final Deployer deployer;
    private final TlsProber prober;
    private final EndpointProbeService probes;
    private final Clock clock;
    private final Duration verifyWithin;
    private final RenewalWindows renewalWindows;
    private final IssuanceProperties issuance;

    RemediationService(
            InventoryService inventory,
            Issuers issuers,
            IssuedCertificateStore certificates,
            KeyCustody custody,
            Deployer deployer,
            TlsProber prober,
            EndpointProbeService probes,
            Clock clock,
            RemediationProperties properties,
            RenewalWindows renewalWindows,
            IssuanceProperties issuance) {
        this.probes = probes;
        this.verifyWithin = properties.verifyWithin();
        this.renewalWindows = renewalWindows;
        this.issuance = issuance;
        this.inventory = inventory;
        this.issuers = issuers;
        this.certificates = certificates;
        this.custody = custody;
        this.deployer = deployer;
        this.prober = prober;
        this.clock = clock;
    }

    /** How long after a reload an endpoint may take to present its new certificate before it is rolled back. */
    public Duration verifyWithin() {
        return verifyWithin;
    }

    /** What the endpoint presents now, judged against the inventory's expectations. */
    public Confirmation confirm(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probe(request(endpoint, endpoint.expectedSha256()));
        Set<String> codes = codes(report);
        // the CA's renewal window (as the detection loop last stored it) came due: reissuing is the fix although
        // the certificate is still valid
        if (report.reachable()
                && renewalWindows
                        .stored(report.leaf().sha256())
                        .filter(window -> window.due(clock.instant()))
                        .isPresent()) {
            codes.add(FindingCodes.RENEWAL_SUGGESTED);
        }
        String summary = report.reachable()
                ? "presents " + report.leaf().sha256() + " valid until "
                        + report.leaf().notAfter() + "; findings " + codes
                : "no TLS handshake: " + codes;
        return new Confirmation(
                report.reachable(),
                codes.contains(FindingCodes.EXPIRED),
                codes.contains(FindingCodes.EXPIRING_SOON),
                codes.contains(FindingCodes.FINGERPRINT_MISMATCH),
                report.reachable() ? report.leaf().sha256() : null,
                report.reachable() ? report.leaf().notAfter() : null,
                List.copyOf(codes),
                summary);
    }

    /** Starts (or resumes, for the same idempotency key) issuance through the endpoint's replacement path. */
    public IssuanceStep beginIssuance(String endpointName, String idempotencyKey) {
        return beginIssuance(endpointName, idempotencyKey, null);
    }

    /**
     * As {@link #beginIssuance(String, String)}, from the named profile instead of the endpoint's (null: the
     * endpoint's). Only the break-glass runbook names one: {@code emergency}, which the inventory refuses.
     */
    public IssuanceStep beginIssuance(String endpointName, String idempotencyKey, String profile) {
        Endpoint endpoint = inventory.get(endpointName);
        return issuers.forPath(issuancePath(endpoint, profile))
                .begin(IssueRequest.of(
                        endpoint.name(),
                        endpoint.expectedNames(),
                        profile == null ? endpoint.profile() : profile,
                        idempotencyKey));
    }

    /**
     * As {@link #beginIssuance(String, String)}, through another issuer than the endpoint's own path: the fallback
     * issuer configuration names for its profile, during an outage of its own, once an approver decided so.
     */
    public IssuanceStep beginIssuanceThrough(String endpointName, String idempotencyKey, String issuerPath) {
        Endpoint endpoint = inventory.get(endpointName);
        return issuers.forPath(issuerPath)
                .begin(IssueRequest.of(endpoint.name(), endpoint.expectedNames(), endpoint.profile(), idempotencyKey));
    }

    /**
     * Where a certificate from {@code profile} comes from: the endpoint's own automated path; the internal CA when a
     * profile is named (break-glass) and the endpoint's path needs a person, which is exactly when break-glass is
     * wanted (the emergency profile's allowed domains constrain what it may name).
     */
    /** The profile the endpoint's certificates are issued from. */
    public String endpointProfile(String endpointName) {
        return inventory.get(endpointName).profile();
    }

    /**
     * As {@link #beginIssuance(String, String)} or, with an {@code issuerPath}, {@link #beginIssuanceThrough}, for
     * the public key of a CSR the endpoint's agent made on its host: the key is never in custody.
     */
    public IssuanceStep beginIssuanceForCsr(
            String endpointName, String idempotencyKey, String issuerPath, String csrPem) {
        Endpoint endpoint = inventory.get(endpointName);
        return issuers.forPath(issuerPath != null ? issuerPath : issuancePath(endpoint, null))
                .begin(IssueRequest.forCsr(
                        endpoint.name(), endpoint.expectedNames(), endpoint.profile(), idempotencyKey, csrPem));
    }

    /**
     * The agent group that deploys this endpoint on its own host (and holds its keys), if an agent does.
     */
    public Optional<String> agentGroup(String endpointName) {
        FileDeployment deployment = inventory.get(endpointName).deployment();
        return deployment != null && deployment.throughAgent()
                ? Optional.of(deployment.agentGroup())
                : Optional.empty();
    }

    /** What an agent needs to make the key for the endpoint's next certificate: its names and the key type. */
    public AgentKeyRequest agentKeyRequest(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        return new AgentKeyRequest(
                endpoint.expectedNames(),
                issuance.profile(endpoint.profile()).keyType().name());
    }

    /**
     * What the endpoint's agent writes: the target of the inventory and the issued certificate (public). The key
     * is the one the agent made for the CSR, on its host.
     */
    public AgentDelivery agentDelivery(String endpointName, String certificateId) {
        Endpoint endpoint = inventory.get(endpointName);
        FileDeployment files = endpoint.deployment();
        if (files == null || !files.throughAgent()) {
            throw new RemediationException("endpoint " + endpointName + " is not deployed through an agent");
        }
        IssuedCertificate issued = certificate(certificateId);
        return new AgentDelivery(
                files.agentGroup(),
                files.certificatePath(),
                files.chainPath(),
                files.fullchainPath(),
                files.keyPath(),
                files.reloadAction(),
                issued.leafPem(),
                String.join("", issued.chainPems()),
                connectHost(endpoint),
                endpoint.port(),
                issued.sha256());
    }

    public String issuancePath(String endpointName, String profile) {
        return issuancePath(inventory.get(endpointName), profile);
    }

    private static String issuancePath(Endpoint endpoint, String profile) {
        return profile != null && !endpoint.replacementPath().automated()
                ? InternalCaIssuer.PATH
                : endpoint.replacementPath().value();
    }

    public IssuanceStep pollIssuance(String replacementPath, String requestId) {
        return issuers.forPath(replacementPath).poll(requestId);
    }

    /** The CSR an administrator needs for the admin-mediated path. */
    public String csrFor(String requestId) {
        return ((AdminMediatedIssuer) issuers.forPath(AdminMediatedIssuer.PATH)).csrPem(requestId);
    }

    /** Validates and accepts a certificate an administrator obtained for an admin-mediated request. */
    public IssuedCertificate submitAdministratorCertificate(String requestId, String certificatePem) {
        return ((AdminMediatedIssuer) issuers.forPath(AdminMediatedIssuer.PATH)).submit(requestId, certificatePem);
    }

    public IssuedCertificate certificate(String certificateId) {
        return certificates
                .findById(certificateId)
                .orElseThrow(() -> new RemediationException("no issued certificate " + certificateId));
    }

    /**
     * Writes the issued certificate and its key to the endpoint's files and runs its reload action.
     * The same deployment id with the same certificate repeats safely.
     */
    public DeploymentResult deploy(String endpointName, String certificateId, String deploymentId) {
        Endpoint endpoint = inventory.get(endpointName);
        FileDeployment files = endpoint.deployment();
        if (files == null) {
            throw new RemediationException("endpoint " + endpointName + " has no deployment target in the inventory");
        }
        if (files.throughAgent()) {
            throw new RemediationException("endpoint " + endpointName + " is deployed by the agent of group "
                    + files.agentGroup() + " on its host, never by this server");
        }
        IssuedCertificate issued = certificate(certificateId);
        DeploymentResult result = deployer.deploy(deploymentRequest(endpoint, issued, deploymentId));
        log.info(
                "Deployed certificate {} to endpoint {} (deployment {}): {}",
                issued.sha256(),
                endpointName,
                deploymentId,
                result.outcome());
        return result;
    }

    /** The endpoint's files and reload action, the issued certificate and its key (written from custody). */
    private DeploymentRequest deploymentRequest(Endpoint endpoint, IssuedCertificate issued, String deploymentId) {
        FileDeployment files = endpoint.deployment();
        DeploymentTarget target = new DeploymentTarget(
                path(files.certificatePath()),
                path(files.chainPath()),
                path(files.fullchainPath()),
                path(files.keyPath()),
                files.reloadAction());
        return new DeploymentRequest(
                deploymentId,
                target,
                new CertificateMaterial(issued.leafPem(), issued.chainPems()),
                out -> custody.writePrivateKeyPem(issued.keyId(), out),
                new ServiceAddress(connectHost(endpoint), endpoint.port()));
    }

    public DeploymentResult rollback(String deploymentId) {
        return deployer.rollback(deploymentId);
    }

    /**
     * The deployment is verified: delete what it kept for a rollback (the replaced private key among it).
     * Call only after a fresh probe showed the deployed certificate.
     */
    public List<Path> release(String deploymentId) {
        return deployer.release(deploymentId); // the deployer logs what it deleted
    }

    /** A fresh probe: does every backend now present the expected certificate, correctly? */
    public Verification verify(String endpointName, String expectedSha256) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probe(request(endpoint, expectedSha256));
        return judge(report, expectedSha256);
    }

    /**
     * Is the certificate the inventory expects known to CertLoop, within its validity and with its
     * key in custody, so that redeploying it can close the loop?
     */
    public ExpectedCertificate expectedCertificate(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        String sha256 = endpoint.expectedSha256();
        if (sha256 == null) {
            return new ExpectedCertificate(false, null, null, "the inventory expects no particular certificate");
        }
        var found = certificates.findBySha256(sha256);
        if (found.isEmpty()) {
            return new ExpectedCertificate(
                    false,
                    null,
                    sha256,
                    "the expected certificate was not issued through CertLoop; its files must come from its owner");
        }
        IssuedCertificate issued = found.get();
        Instant now = clock.instant();
        if (issued.notAfter().isBefore(now)) {
            return new ExpectedCertificate(
                    false, issued.id(), sha256, "the expected certificate expired " + issued.notAfter());
        }
        if (issued.notBefore().isAfter(now)) {
            return new ExpectedCertificate(
                    false, issued.id(), sha256, "the expected certificate is not valid before " + issued.notBefore());
        }
        if (issued.keyId() == null || custody.find(issued.keyId()).isEmpty()) {
            return new ExpectedCertificate(
                    false, issued.id(), sha256, "the key of the expected certificate is not in custody");
        }
        if (endpoint.deployment() == null) {
            return new ExpectedCertificate(false, issued.id(), sha256, "the endpoint has no deployment target");
        }
        return new ExpectedCertificate(
                true, issued.id(), sha256, "valid until " + issued.notAfter() + ", key in custody");
    }

    /**
     * The chain the endpoint sends now, and whether CertLoop holds that very certificate (it issued it, the chain
     * and key are kept, it is valid, the endpoint has files to write), so redeploying its full chain is the fix
     * for a missing intermediate.
     */
    public ChainInspection inspectChain(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probe(request(endpoint, endpoint.expectedSha256()));
        List<String> codes = List.copyOf(codes(report));
        if (!report.reachable()) {
            return new ChainInspection(
                    false,
                    false,
                    false,
                    null,
                    List.of(),
                    null,
                    "no TLS handshake",
                    codes,
                    "no TLS handshake: " + codes);
        }
        List<String> chain = report.chain().stream()
                .map(c -> c.subject() + " (issued by " + c.issuer() + ", sha256 " + c.sha256() + ")")
                .toList();
        String presented = report.leaf().sha256();
        String heldId = null;
        String heldReason;
        var found = certificates.findBySha256(presented);
        if (found.isEmpty()) {
            heldReason = "the presented certificate was not issued through CertLoop";
        } else if (found.get().chainPems().isEmpty()) {
            heldReason = "CertLoop issued the presented certificate but keeps no chain for it";
        } else if (!found.get().notAfter().isAfter(clock.instant())) {
            heldReason = "the presented certificate expired " + found.get().notAfter();
        } else if (found.get().keyId() == null
                || custody.find(found.get().keyId()).isEmpty()) {
            heldReason = "the key of the presented certificate is not in custody";
        } else if (endpoint.deployment() == null) {
            heldReason = "the endpoint has no deployment target";
        } else {
            heldId = found.get().id();
            heldReason = "CertLoop issued the presented certificate and holds its chain and key";
        }
        String summary = "presents " + presented
                + (report.chainComplete()
                        ? " with a complete chain"
                        : " without the intermediate(s) linking it to a root")
                + "; findings " + codes;
        return new ChainInspection(
                true, report.chainComplete(), report.trusted(), presented, chain, heldId, heldReason, codes, summary);
    }

    /**
     * A key compromise on this endpoint: the key of the certificate it presents now (a fresh probe), every
     * certificate CertLoop's internal CA issued for that key, and every inventory endpoint expected to present
     * one of them. A certificate CertLoop did not issue has no key in custody: only the endpoint itself is known.
     */
    public KeyExposure keyExposure(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probe(request(endpoint, endpoint.expectedSha256()));
        String presented = report.reachable() ? report.leaf().sha256() : endpoint.expectedSha256();
        Optional<IssuedCertificate> current =
                presented == null ? Optional.empty() : certificates.findBySha256(presented);
        if (current.isEmpty() || current.get().keyId() == null) {
            List<String> presenting = new ArrayList<>(List.of(endpointName));
            inventory.list().stream()
                    .filter(e ->
                            !e.name().equals(endpointName) && presented != null && presented.equals(e.expectedSha256()))
                    .forEach(e -> presenting.add(e.name()));
            return new KeyExposure(
                    null,
                    presented,
                    List.of(),
                    presenting,
                    "the presented certificate was not issued "
                            + "through CertLoop: its key's other uses are unknown; endpoints expected to present it "
                            + presenting);
        }
        String keyId = current.get().keyId();
        List<IssuedCertificate> forKey = certificates.findByKeyId(keyId);
        Set<String> shas = forKey.stream().map(IssuedCertificate::sha256).collect(Collectors.toSet());
        List<String> serials = forKey.stream()
                .filter(c -> InternalCaIssuer.PATH.equals(c.issuer()))
                .map(IssuedCertificate::serial)
                .toList();
        List<String> endpoints = new ArrayList<>(List.of(endpointName));
        inventory.list().stream()
                .filter(e -> !e.name().equals(endpointName))
                .filter(e -> e.expectedSha256() != null && shas.contains(e.expectedSha256()))
                .forEach(e -> endpoints.add(e.name()));
        return new KeyExposure(
                keyId,
                presented,
                serials,
                endpoints,
                "key " + keyId + ": " + forKey.size() + " certificate(s) issued through CertLoop, " + serials.size()
                        + " by its internal CA; endpoints " + endpoints);
    }

    /**
     * Revokes certificates of CertLoop's internal CA (serials as lower-case hex); the CRL and OCSP answers say
     * so at once. A second revoke keeps the first date and reason.
     */
    public void revokeInternal(List<String> serials, RevocationReason reason) {
        if (serials.isEmpty()) {
            return;
        }
        InternalCaIssuer ca = (InternalCaIssuer) issuers.forPath(InternalCaIssuer.PATH);
        serials.forEach(serial -> ca.revoke(serial, reason));
    }

    /**
     * Revocation propagation step 1: a fresh probe asks the CA's CRL distribution point and its OCSP responder both
     * about the certificate the endpoint presents (the second even when the first already says revoked), and the
     * answers say which subcategory the incident is (see {@link RevocationEvidence#pointsTo}).
     */
    public RevocationEvidence revocationStatus(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probeAskingEveryRevocationSource(request(endpoint, endpoint.expectedSha256()));
        if (!report.reachable() || report.revocation() == null) {
            return new RevocationEvidence(
                    report.reachable(),
                    null,
                    null,
                    "UNKNOWN",
                    "NONE",
                    null,
                    null,
                    "no TLS handshake: the presented certificate is unknown",
                    List.of(),
                    RevocationEvidence.UNKNOWN);
        }
        var revocation = report.revocation();
        return new RevocationEvidence(
                true,
                report.leaf().sha256(),
                report.leaf().spkiSha256(),
                revocation.status().name(),
                revocation.source(),
                revocation.url(),
                revocation.revokedAt(),
                revocation.detail(),
                revocation.answers(),
                RevocationEvidence.pointsTo(revocation.answers()));
    }

    /**
     * Revocation propagation step 2, the verifier population: every inventory endpoint whose latest recorded probe
     * presents the certificate ({@code sha256}) or another certificate with the same public key ({@code spkiSha256}),
     * with why; the incident's own endpoint first (it presented the certificate when the incident was confirmed).
     */
    public VerifierPopulation verifierPopulation(String endpointName, String sha256, String spkiSha256) {
        List<VerifierPopulation.Affected> affected = new ArrayList<>();
        affected.add(new VerifierPopulation.Affected(
                endpointName, sha256, Presenting.SAME_CERTIFICATE, "the incident's endpoint"));
        for (Presenting presenting : probes.latestPresenting(sha256, spkiSha256)) {
            if (!presenting.endpoint().equals(endpointName)) {
                affected.add(new VerifierPopulation.Affected(
                        presenting.endpoint(),
                        presenting.leafSha256(),
                        presenting.why(),
                        "latest probe " + presenting.probedAt() + " presents "
                                + (Presenting.SAME_CERTIFICATE.equals(presenting.why())
                                        ? "the certificate"
                                        : "certificate " + presenting.leafSha256() + " with the same key")));
            }
        }
        return new VerifierPopulation(sha256, spkiSha256, affected);
    }

    /** The certificate the endpoint presents against policy, and whether CertLoop's internal CA issued it. */
    public MisIssuance misIssuance(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        ProbeReport report = prober.probe(request(endpoint, endpoint.expectedSha256()));
        List<String> codes = List.copyOf(codes(report));
        if (!report.reachable()) {
            return new MisIssuance(false, null, null, null, codes, "no TLS handshake: " + codes);
        }
        String presented = report.leaf().sha256();
        String serial = certificates
                .findBySha256(presented)
                .filter(c -> InternalCaIssuer.PATH.equals(c.issuer()))
                .map(IssuedCertificate::serial)
                .orElse(null);
        return new MisIssuance(
                true,
                presented,
                report.leaf().issuer(),
                serial,
                codes,
                "presents " + presented + " ("
                        + report.leaf().subject() + ", issued by "
                        + report.leaf().issuer() + ", names " + report.leaf().sans()
                        + ", " + report.leaf().keyAlgorithm() + " "
                        + report.leaf().keySize() + ", " + report.leaf().signatureAlgorithm()
                        + "); expected names " + endpoint.expectedNames() + "; findings " + codes);
    }

    /** Whether {@link #replace} can rekey and replace this endpoint without a person. */
    public boolean replaceable(String endpointName) {
        Endpoint endpoint = inventory.get(endpointName);
        return endpoint.replacementPath().automated()
                && endpoint.deployment() != null
                && !endpoint.deployment().throughAgent();
    }

    /**
     * The newest certificate issued for the endpoint under idempotency keys starting with {@code keyPrefix}
     * (a runbook uses one prefix per incident), from the issuance record.
     */
    public Optional<IssuedCertificate> issuedUnder(String endpointName, String keyPrefix) {
        return certificates.newestByKeyPrefix(endpointName, keyPrefix);
    }

    /** Records that the endpoint should present this certificate from now on. */
    public void expect(String endpointName, String sha256) {
        inventory.recordExpectedSha256(endpointName, sha256);
    }

    /**
     * The whole loop for one endpoint, synchronously: issue, deploy, reload, verify with a fresh
     * probe; roll back when the reload or the verification fails. On success the inventory expects
     * the issued fingerprint.
     */
    public ReplacementEvidence replace(String endpointName, String idempotencyKey, Duration verifyWithin) {
        return replace(endpointName, idempotencyKey, verifyWithin, null);
    }

    /**
     * As {@link #replace(String, String, Duration)}, issuing from {@code profile} (null: the endpoint's own). A mass
     * rotation names one when its certificates must change profile (a new key type, a shorter validity).
     */
    public ReplacementEvidence replace(
            String endpointName, String idempotencyKey, Duration verifyWithin, String profile) {
        Instant start = clock.instant();
        IssuedCertificate issued = issueForReplacement(endpointName, idempotencyKey, profile);
        Instant issuedAt = clock.instant();
        ReplacementEvidence.Issued issuedEvidence = evidenceOf(issued);
        DeploymentResult deployment = deploy(endpointName, issued.id(), deploymentIdFor(idempotencyKey));
        Instant deployedAt = clock.instant();
        if (!deployment.succeeded()) {
            DeploymentResult rollback = rollback(deployment.deploymentId());
            return new ReplacementEvidence(
                    endpointName,
                    false,
                    "DEPLOYMENT_" + deployment.outcome(),
                    issuedEvidence,
                    deployment,
                    rollback,
                    verify(endpointName, issued.sha256()),
                    Duration.between(start, issuedAt),
                    Duration.between(issuedAt, deployedAt),
                    Duration.ZERO);
        }
        Verification verification = verifyUntil(endpointName, issued.sha256(), deployedAt.plus(verifyWithin));
        Instant verifiedAt = clock.instant();
        if (!verification.passed()) {
            DeploymentResult rollback = rollback(deployment.deploymentId());
            return new ReplacementEvidence(
                    endpointName,
                    false,
                    "VERIFICATION_FAILED",
                    issuedEvidence,
                    deployment,
                    rollback,
                    verification,
                    Duration.between(start, issuedAt),
                    Duration.between(issuedAt, deployedAt),
                    Duration.between(deployedAt, verifiedAt));
        }
        settleVerified(endpointName, issued.sha256(), deployment.deploymentId());
        return new ReplacementEvidence(
                endpointName,
                true,
                "VERIFIED",
                issuedEvidence,
                deployment,
                null,
                verification,
                Duration.between(start, issuedAt),
                Duration.between(issuedAt, deployedAt),
                Duration.between(deployedAt, verifiedAt));
    }

    /**
     * The endpoint's automated path issues, as {@link #replace} does first (the same idempotency key returns the
     * certificate issued first); {@link #deployTogether} takes it from there.
     *
     * @throws RemediationException no automated replacement path or no deployment target
     * @throws IssuanceException    the issuer refused or is unavailable
     */
    public IssuedCertificate issueForReplacement(String endpointName, String idempotencyKey, String profile) {
        Endpoint endpoint = inventory.get(endpointName);
        if (!endpoint.replacementPath().automated()) {
            throw new RemediationException("endpoint " + endpointName + " has replacement path "
                    + endpoint.replacementPath().value() + ": a person obtains its certificate; use the runbook");
        }
        if (endpoint.deployment() == null) {
            throw new RemediationException("endpoint " + endpointName + " has no deployment target in the inventory");
        }
        if (endpoint.deployment().throughAgent()) {
            throw new RemediationException("endpoint " + endpointName + " is deployed by the agent of group "
                    + endpoint.deployment().agentGroup() + ", whose key never leaves its host; use the runbook");
        }
        return issuers.forPath(endpoint.replacementPath().value())
                .issue(IssueRequest.of(
                        endpoint.name(),
                        endpoint.expectedNames(),
                        profile == null ? endpoint.profile() : profile,
                        idempotencyKey));
    }

    private static ReplacementEvidence.Issued evidenceOf(IssuedCertificate issued) {
        return new ReplacementEvidence.Issued(
                issued.id(),
                issued.issuer(),
                issued.sha256(),
                issued.serial(),
                String.valueOf(issued.notAfter()),
                issued.keyId());
    }

    /** Verified live: the inventory expects the new certificate, and what the deployment kept is deleted. */
    private void settleVerified(String endpointName, String sha256, String deploymentId) {
        expect(endpointName, sha256);
        try {
            release(deploymentId);
        } catch (RuntimeException e) {
            log.warn(
                    "Deployment {} is verified but its kept files could not be deleted; delete the *.certloop-prev"
                            + " files beside the endpoint's files by hand: {}",
                    deploymentId,
                    e.getMessage());
        }
    }

    /** One endpoint of {@link #deployTogether}: the certificate issued for it under its idempotency key. */
    public record Replacement(
            String endpoint, String idempotencyKey, IssuedCertificate issued, Duration issuanceTime) {}

    /**
     * How one endpoint of {@link #deployTogether} ended: its evidence (verified, or rolled back), or the deployer's
     * refusal before anything was reloaded, never both.
     */
    public record ReplacementOutcome(Replacement replacement, ReplacementEvidence evidence, RuntimeException refused) {}

    /**
     * The rest of {@link #replace} for many issued endpoints at once, with the waiting shared: every endpoint's files
     * are written (concurrently on {@code workers}), each distinct reload action runs once for all the endpoints it
     * serves ({@link Deployer#deployTogether}), then every endpoint is verified with fresh probes in rounds until it
     * is live or {@code certloop.remediation.verify-within} after the reload has passed: while a reload action's
     * service presents none of its new certificates yet, one of its endpoints is probed per round
     * ({@value #VERIFY_PAUSE_MILLIS} ms apart), then all of them; after the deadline all once more. An endpoint not verified is rolled back;
     * a verified one becomes what the inventory expects. {@code done} hears each endpoint as soon as its outcome is
     * final, on a worker thread. A deployer's refusal is an outcome; any other failure (a database error) is thrown at
     * the end, after every other endpoint finished, so the caller can retry the unfinished ones with the same keys.
     */
    public void deployTogether(List<Replacement> replacements, Executor workers, Consumer<ReplacementOutcome> done) {
        Concurrently.FirstFailure failures = new Concurrently.FirstFailure();
        Instant start = clock.instant();
        List<DeploymentRequest> requests = replacements.stream()
                .map(r ->
                        deploymentRequest(inventory.get(r.endpoint()), r.issued(), deploymentIdFor(r.idempotencyKey())))
                .toList();
        List<Deployer.Deployed> deployed = deployer.deployTogether(requests, workers);
        Instant deployedAt = clock.instant();
        Duration deploymentTime = Duration.between(start, deployedAt);
        Map<Integer, DeploymentResult> live = new LinkedHashMap<>();
        List<Integer> notDeployed = new ArrayList<>();
        for (int i = 0; i < replacements.size(); i++) {
            Deployer.Deployed d = deployed.get(i);
            if (d.refused() != null) {
                Replacement r = replacements.get(i);
                failures.guard(() -> done.accept(new ReplacementOutcome(r, null, d.refused())));
            } else if (d.result().succeeded()) {
                live.put(i, d.result());
            } else {
                notDeployed.add(i);
            }
        }
        Concurrently.map(
                notDeployed,
                workers,
                i -> failures.guard(() -> {
                    Replacement r = replacements.get(i);
                    DeploymentResult deployment = deployed.get(i).result();
                    DeploymentResult rollback = rollback(deployment.deploymentId());
                    Verification after = verify(r.endpoint(), r.issued().sha256());
                    done.accept(outcome(
                            r,
                            "DEPLOYMENT_" + deployment.outcome(),
                            deployment,
                            rollback,
                            after,
                            deploymentTime,
                            Duration.ZERO));
                }));
        Instant deadline = deployedAt.plus(verifyWithin);
        Map<Integer, Verification> last = new ConcurrentHashMap<>();
        int deployedLive = live.size();
        int rounds = 0;
        // a reload action whose service presents a new certificate has switched: its endpoints are all probed from
        // then on. Until then one endpoint per action stands for the rest, so the probes of certificates not yet
        // live do not take the CPU from the reload they wait for. Past the deadline every endpoint is probed once more.
        Set<String> switched = new HashSet<>();
        while (!live.isEmpty()) {
            rounds++;
            boolean lastRound = !clock.instant().isBefore(deadline);
            Set<String> standing = new HashSet<>();
            List<Integer> order = new ArrayList<>(live.keySet());
            java.util.Collections.rotate(order, -rounds); // another endpoint stands for its action each round
            List<Integer> round = order.stream()
                    .filter(i -> lastRound
                            || switched.contains(actionOf(requests, i))
                            || standing.add(actionOf(requests, i)))
                    .toList();
            List<Boolean> passed = Concurrently.map(round, workers, i -> {
                Replacement r = replacements.get(i);
                try {
                    Verification verification = verify(r.endpoint(), r.issued().sha256());
                    last.put(i, verification);
                    if (!verification.passed()) {
                        return false;
                    }
                    settleVerified(
                            r.endpoint(), r.issued().sha256(), live.get(i).deploymentId());
                    done.accept(outcome(
                            r,
                            "VERIFIED",
                            live.get(i),
                            null,
                            verification,
                            deploymentTime,
                            Duration.between(deployedAt, clock.instant())));
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                return true;
            });
            boolean progress = false;
            for (int k = 0; k < round.size(); k++) {
                if (Boolean.TRUE.equals(passed.get(k))) {
                    live.remove(round.get(k));
                    progress |= switched.add(actionOf(requests, round.get(k)));
                }
            }
            if (live.isEmpty() || lastRound) {
                break;
            }
            if (!progress) {
                try {
                    Thread.sleep(VERIFY_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Concurrently.map(
                List.copyOf(live.keySet()),
                workers,
                i -> failures.guard(() -> {
                    Replacement r = replacements.get(i);
                    DeploymentResult rollback = rollback(live.get(i).deploymentId());
                    done.accept(outcome(
                            r,
                            "VERIFICATION_FAILED",
                            live.get(i),
                            rollback,
                            last.get(i),
                            deploymentTime,
                            Duration.between(deployedAt, clock.instant())));
                }));
        log.info(
                "Deployed {} endpoint(s) together (files, one reload per action) in {} ms; {} verified live in {} ms"
                        + " over {} probe round(s), {} not verified, {} not deployed",
                replacements.size(),
                deploymentTime.toMillis(),
                deployedLive - live.size(),
                Duration.between(deployedAt, clock.instant()).toMillis(),
                rounds,
                live.size(),
                replacements.size() - deployedLive);
        failures.rethrow();
    }

    private static final long VERIFY_PAUSE_MILLIS = 100;

    private static String actionOf(List<DeploymentRequest> requests, int i) {
        return requests.get(i).target().reloadAction();
    }

    private static ReplacementOutcome outcome(
            Replacement r,
            String outcome,
            DeploymentResult deployment,
            DeploymentResult rollback,
            Verification verification,
            Duration deploymentTime,
            Duration verificationTime) {
        return new ReplacementOutcome(
                r,
                new ReplacementEvidence(
                        r.endpoint(),
                        rollback == null && verification != null && verification.passed(),
                        outcome,
                        evidenceOf(r.issued()),
                        deployment,
                        rollback,
                        verification,
                        r.issuanceTime(),
                        deploymentTime,
                        verificationTime),
                null);
    }

    /**
     * {@link #replace(String, String, Duration)} within the configured {@code certloop.remediation.verify-within}:
     * the runbooks replacing several endpoints (key compromise, revocation) call it once per endpoint.
     */
    public ReplacementEvidence replace(String endpointName, String idempotencyKey) {
        return replace(endpointName, idempotencyKey, verifyWithin, null);
    }

    /** {@link #replace(String, String)} from the named issuance profile (null: the endpoint's own). */
    public ReplacementEvidence replace(String endpointName, String idempotencyKey, String profile) {
        return replace(endpointName, idempotencyKey, verifyWithin, profile);
    }

    /** Deployment ids allow letters, digits, '.', '_' and '-' only. */
    public static String deploymentIdFor(String key) {
        return key.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /**
     * The synchronous API may wait briefly for old workers to drain after a reload (nginx keeps
     * serving the old certificate on a worker for a moment). Runbooks use a BPMN timer instead.
     */
    private Verification verifyUntil(String endpointName, String sha256, Instant deadline) {
        Verification verification = verify(endpointName, sha256);
        while (!verification.passed() && clock.instant().isBefore(deadline)) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return verification;
            }
            verification = verify(endpointName, sha256);
        }
        return verification;
    }

    /** The ordered checks of "is it fixed?"; each failure is a sentence for the evidence. */
    static Verification judge(ProbeReport report, String expectedSha256) {
        Set<String> codes = codes(report);
        List<String> failures = new ArrayList<>();
        String presented = report.reachable() ? report.leaf().sha256() : null;
        if (!report.reachable()) {
            failures.add("no backend completed a TLS handshake");
        } else {
            // the renewed certificate specifically, not "a valid certificate"
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(presented)) {
                failures.add("the endpoint presents " + presented + ", not the issued " + expectedSha256);
            }
            // a partially deployed cluster is not fixed
            if (codes.contains(FindingCodes.INCONSISTENT_BACKENDS)) {
                failures.add("backends present different certificates");
            }
            report.addresses().stream()
                    .filter(a -> a.leaf() != null
                            && expectedSha256 != null
                            && !expectedSha256.equalsIgnoreCase(a.leaf().sha256()))
                    .forEach(a -> failures.add(
                            "backend " + a.address() + " presents " + a.leaf().sha256()));
            if (!report.chainComplete()) {
                failures.add("the chain sent is incomplete");
            }
            if (!report.hostnameMatches()) {
                failures.add("the certificate does not cover the expected names");
            }
            if (codes.contains(FindingCodes.EXPIRED) || codes.contains(FindingCodes.NOT_YET_VALID)) {
                failures.add("the presented certificate is not within its validity period");
            }
            if (codes.contains(FindingCodes.REVOKED)) {
                failures.add("the presented certificate is revoked");
            }
        }
        return new Verification(
                failures.isEmpty(),
                expectedSha256,
                presented,
                report.chainComplete(),
                report.hostnameMatches(),
                List.copyOf(codes),
                failures.stream().distinct().toList(),
                report.probedAt());
    }

    private static Set<String> codes(ProbeReport report) {
        return report.findings().stream()
                .map(Finding::code)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static ProbeRequest request(Endpoint endpoint, String expectedSha256) {
        return new ProbeRequest(
                endpoint.host(),
                endpoint.port(),
                endpoint.serverName(),
                endpoint.expectedNames(),
                endpoint.addresses(),
                expectedSha256,
                endpoint.tier());
    }

    private static String connectHost(Endpoint endpoint) {
        return endpoint.addresses().isEmpty()
                ? endpoint.host()
                : endpoint.addresses().get(0);
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}

package io.certloop.probe.guard;

import io.certloop.probe.InvalidProbeRequestException;
import io.certloop.probe.ProbeProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard. A probe connects wherever its caller says, so it is only allowed to reach
 * inventory endpoints and allowlisted hosts or networks, never link-local or cloud metadata
 * addresses. The decision is taken on the resolved addresses, and the prober connects to exactly
 * those {@link InetAddress} objects: a DNS answer that changes between check and connect (DNS
 * rebinding) cannot redirect it.
 */
public class ProbeTargetGuard {

    /** Resolves names; replaceable in tests to simulate hostile DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String asciiHost) throws UnknownHostException;
    }

    /**
     * Addresses a probe may connect to.
     *
     * @param host the normalised (ASCII, lower-case) host
     * @param addresses permitted addresses, resolved once
     * @param resolutionError why the host did not resolve (then only explicit addresses are probed)
     */
    public record Targets(String host, List<InetAddress> addresses, String resolutionError) {
        public Targets {
            addresses = List.copyOf(addresses);
        }
    }

    private final ProbeProperties properties;
    private final InventoryTargets inventory;
    private final Resolver resolver;
    private final List<AddressRules.Cidr> allowedNetworks = new ArrayList<>();
    private final List<String> allowedHostPatterns = new ArrayList<>();
    private final List<AddressRules.Cidr> deniedNetworks = new ArrayList<>();

    public ProbeTargetGuard(ProbeProperties properties, InventoryTargets inventory, Resolver resolver) {
        this.properties = properties;
        this.inventory = inventory;
        this.resolver = resolver;
        for (String entry : properties.allowlist()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            Optional<AddressRules.Cidr> cidr = AddressRules.Cidr.parse(entry);
            if (cidr.isPresent()) {
                allowedNetworks.add(cidr.get());
            } else {
                String pattern = entry.strip();
                boolean wildcard = pattern.startsWith("*.");
                String base = AddressRules.normalizeHost(wildcard ? pattern.substring(2) : pattern);
                allowedHostPatterns.add(wildcard ? "*." + base : base);
            }
        }
        for (String entry : properties.denylist()) {
            if (entry != null && !entry.isBlank()) {
                deniedNetworks.add(AddressRules.Cidr.parse(entry)
                        .orElseThrow(() -> new IllegalArgumentException("denylist entry is not a CIDR: " + entry)));
            }
        }
    }

    public ProbeTargetGuard(ProbeProperties properties, InventoryTargets inventory) {
        this(properties, inventory, InetAddress::getAllByName);
    }

    /**
     * Resolves the host once and checks every address, then every explicit address on its own.
     * An explicit address is permitted only when it is one the host resolved to, one the inventory
     * registers for this endpoint, or inside an allowlisted network: an allowed host never vouches
     * for other addresses. A refused address refuses the whole request before anything is connected.
     *
     * @param explicitAddresses IP literals of further backends (any spelling is normalised)
     * @throws ProbeRefusedException when the target or any of its addresses is not allowed; for an explicit
     *     address, its {@code field} is {@code addresses[i]}
     * @throws InvalidProbeRequestException when the host or an explicit address cannot be read
     */
    public Targets permit(String host, int port, List<String> explicitAddresses) {
        String name = AddressRules.normalizeHost(host);
        refuseForbiddenName(name);
        boolean inventoryEndpoint = inventory.isInventoryEndpoint(host, port)
                || (!name.equals(host) && inventory.isInventoryEndpoint(name, port));
        boolean hostAllowed = inventoryEndpoint || hostPatternAllows(name);

        Set<InetAddress> addresses = new LinkedHashSet<>();
        String resolutionError = null;
        Optional<InetAddress> literal = AddressRules.parseLiteral(name);
        if (literal.isPresent()) {
            addresses.add(literal.get());
        } else {
            try {
                addresses.addAll(List.of(resolver.resolve(name)));
            } catch (UnknownHostException e) {
                resolutionError = "cannot resolve " + name;
            }
        }
        for (InetAddress address : addresses) {
            check(address, name, hostAllowed);
        }
        Set<InetAddress> registered = inventoryEndpoint ? registeredAddresses(host, name, port) : Set.of();
        Set<InetAddress> resolved = Set.copyOf(addresses);
        for (int i = 0; i < explicitAddresses.size(); i++) {
            String field = "addresses[" + i + "]";
            String explicit = explicitAddresses.get(i);
            InetAddress address = AddressRules.parseLiteral(AddressRules.normalizeHost(explicit))
                    .orElseThrow(() -> new InvalidProbeRequestException(field, "not an IP literal: " + explicit));
            Optional<String> forbidden = forbidden(address);
            if (forbidden.isPresent()) {
                throw new ProbeRefusedException(field, forbidden.get());
            }
            if (!resolved.contains(address) && !registered.contains(address) && !allowlisted(address)) {
                throw new ProbeRefusedException(
                        field,
                        address.getHostAddress() + " is neither an address of " + name
                                + ", nor registered for it in the inventory, nor in certloop.probe.allowlist");
            }
            addresses.add(address);
        }
        return new Targets(name, new ArrayList<>(addresses), resolutionError);
    }

    private Set<InetAddress> registeredAddresses(String host, String name, int port) {
        Set<InetAddress> registered = new LinkedHashSet<>();
        List<String> listed = new ArrayList<>(inventory.registeredAddresses(host, port));
        if (!name.equals(host)) {
            listed.addAll(inventory.registeredAddresses(name, port));
        }
        for (String address : listed) {
            AddressRules.parseLiteral(AddressRules.normalizeHost(address)).ifPresent(registered::add);
        }
        return registered;
    }

    /**
     * The address to fetch a CRL or OCSP answer from, resolved once: the fetch connects to exactly
     * this address. Those URLs come from the certificate, i.e. from whoever runs the probed server:
     * the forbidden addresses never, and loopback, private, unique-local, link-local, unspecified,
     * multicast, carrier-grade NAT and other special-purpose addresses only when inside an allowlisted
     * network ({@code certloop.probe.allowlist} CIDRs; host patterns do not count here). The first
     * resolved address that passes is used.
     *
     * @throws ProbeRefusedException when no resolved address may be fetched from (its message is for the log)
     */
    public InetAddress permitFetch(String host) throws UnknownHostException {
        String name = AddressRules.normalizeHost(host);
        refuseForbiddenName(name);
        Optional<InetAddress> literal = AddressRules.parseLiteral(name);
        InetAddress[] resolved = literal.isPresent() ? new InetAddress[] {literal.get()} : resolver.resolve(name);
        String refusal = "no address for " + name;
        for (InetAddress address : resolved) {
            Optional<String> forbidden = forbidden(address);
            if (forbidden.isPresent()) {
                refusal = forbidden.get();
                continue;
            }
            Optional<String> kind = AddressRules.nonPublicKind(address);
            if (kind.isPresent() && !allowlisted(address)) {
                refusal = kind.get() + " address " + address.getHostAddress() + " (" + name
                        + ") is not in certloop.probe.allowlist";
                continue;
            }
            return address;
        }
        throw new ProbeRefusedException(refusal);
    }

    private boolean allowlisted(InetAddress address) {
        return allowedNetworks.stream().anyMatch(cidr -> cidr.contains(address));
    }

    private void check(InetAddress address, String name, boolean hostAllowed) {
        forbidden(address).ifPresent(reason -> {
            throw new ProbeRefusedException(reason + " (" + name + ")");
        });
        if (hostAllowed) {
            return;
        }
        if (!allowlisted(address)) {
            throw new ProbeRefusedException(name + " (" + address.getHostAddress()
                    + ") is neither an inventory endpoint nor in certloop.probe.allowlist");
        }
    }

    private Optional<String> forbidden(InetAddress address) {
        for (AddressRules.Cidr denied : deniedNetworks) {
            if (denied.contains(address)) {
                return Optional.of("address " + address.getHostAddress() + " is in denylist " + denied.text());
            }
        }
        return properties.refuseLinkLocal() ? AddressRules.forbiddenReason(address) : Optional.empty();
    }

    private void refuseForbiddenName(String name) {
        if (properties.refuseLinkLocal() && AddressRules.METADATA_NAMES.contains(name)) {
            throw new ProbeRefusedException("cloud metadata name " + name + " is never probed");
        }
    }

    private boolean hostPatternAllows(String name) {
        for (String pattern : allowedHostPatterns) {
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1); // ".example.com"
                if (name.endsWith(suffix) && name.length() > suffix.length()) {
                    return true;
                }
            } else if (pattern.equals(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}

package io.certloop.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.certloop.inventory.Endpoint;
import io.certloop.inventory.Environment;
import io.certloop.inventory.InventoryService;
import io.certloop.inventory.Owner;
import io.certloop.inventory.ReplacementPath;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Mail to owners through a real (in-process) SMTP server, and the outbox on an in-memory database. */
class NotifierTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final InventoryService inventory = mock(InventoryService.class);
    private DriverManagerDataSource dataSource;

    @BeforeEach
    void database() {
        dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:notifier-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Test
    void anIncidentMailGoesToBothOwnersOnceEach() throws Exception {
        when(inventory.findByName("web"))
                .thenReturn(Optional.of(
                        endpoint(new Owner("web", "web-team@example.test"), new Owner("pki", "pki@example.test"))));
        Notifier notifier = notifier(sender(smtp.getSmtp().getPort()), List.of("fallback@example.test"));

        DeliveryStatus status = notifier.notifyOwners(
                "web",
                "INC-2026-000001",
                Notification.Kinds.OPENED,
                "INC-2026-000001 opened: certificate expired on web",
                "The runbook has started.");

        assertThat(status).isEqualTo(DeliveryStatus.SENT);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getSubject()).isEqualTo("INC-2026-000001 opened: certificate expired on web");
        assertThat(Arrays.stream(received[0].getRecipients(Message.RecipientType.TO))
                        .map(Object::toString))
                .containsExactly("web-team@example.test", "pki@example.test");
        OutboxEntry entry = notifier.outbox("INC-2026-000001").get(0);
        assertThat(entry.status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(entry.recipients()).containsExactly("web-team@example.test", "pki@example.test");
        assertThat(entry.kind()).isEqualTo("opened");
    }

    @Test
    void anApprovedPlanGoesToTheOwnersAndPartnerContactsOfEveryEndpointOnceEach() throws Exception {
        Endpoint web = endpoint(new Owner("web", "web-team@example.test"), new Owner("pki", "pki@example.test"));
        Endpoint standby = new Endpoint(
                2L,
                "web-standby",
                "standby.example.test",
                443,
                null,
                List.of(),
                List.of("standby.example.test"),
                1,
                Environment.PRODUCTION,
                new Owner("web", "WEB-TEAM@example.test"),
                null,
                ReplacementPath.INTERNAL_CA,
                "standard",
                null,
                null,
                Instant.EPOCH,
                Instant.EPOCH,
                List.of("ops@partner.test", "pki@example.test"));
        when(inventory.findByName("web")).thenReturn(Optional.of(web));
        when(inventory.findByName("web-standby")).thenReturn(Optional.of(standby));
        Notifier notifier = notifier(sender(smtp.getSmtp().getPort()), List.of("fallback@example.test"));

        assertThat(notifier.ownersAndPartnersOf("web-standby"))
                .containsExactly("WEB-TEAM@example.test", "ops@partner.test", "pki@example.test");
        DeliveryStatus status = notifier.notifyOwnersAndPartners(
                List.of("web-standby", "web"),
                "INC-2026-000009",
                Notification.Kinds.REPLACEMENT_PLAN,
                "[INC-2026-000009] Replacement plan approved: web-standby, web",
                "Clear your caches after the change.");

        assertThat(status).isEqualTo(DeliveryStatus.SENT);
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(3);
        assertThat(Arrays.stream(received[0].getRecipients(Message.RecipientType.TO))
                        .map(Object::toString))
                .containsExactly("WEB-TEAM@example.test", "ops@partner.test", "pki@example.test");
        assertThat(received[0].getSubject()).contains("Replacement plan approved");
        OutboxEntry entry = notifier.outbox("INC-2026-000009").get(0);
        assertThat(entry.kind()).isEqualTo("replacement-plan");
        assertThat(entry.recipients()).containsExactly("WEB-TEAM@example.test", "ops@partner.test", "pki@example.test");
    }

    @Test
    void anOwnerOfBothServiceAndCertificateGetsOneMail() {
        when(inventory.findByName("web"))
                .thenReturn(Optional.of(
                        endpoint(new Owner("web", "Web@example.test"), new Owner("web", "web@example.test"))));
        Notifier notifier = notifier(sender(smtp.getSmtp().getPort()), List.of());

        notifier.notifyOwners("web", "INC-2026-000002", Notification.Kinds.RESOLVED, "resolved", "verified");

        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(notifier.outbox("INC-2026-000002").get(0).recipients()).containsExactly("Web@example.test");
    }

    @Test
    void withNoOwnerKnownTheFallbackRecipientsHear() {
        when(inventory.findByName("orphan")).thenReturn(Optional.of(endpoint(null, new Owner("pki", null))));
        Notifier notifier = notifier(sender(smtp.getSmtp().getPort()), List.of("pki-desk@example.test"));

        DeliveryStatus status = notifier.notifyOwners(
                "orphan",
                "INC-2026-000003",
                Notification.Kinds.ESCALATED,
                "nobody owns orphan",
                "The incident commander is asked to find the owner.");

        assertThat(status).isEqualTo(DeliveryStatus.SENT);
        assertThat(notifier.outbox("INC-2026-000003").get(0).recipients()).containsExactly("pki-desk@example.test");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aDeadMailServerIsRecordedAsFailedAndNeverThrows() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        when(inventory.findByName("web"))
                .thenReturn(Optional.of(endpoint(new Owner("web", "web-team@example.test"), null)));
        Notifier notifier = notifier(sender(deadPort), List.of());

        DeliveryStatus status = notifier.notifyOwners("web", "INC-2026-000004", Notification.Kinds.OPENED, "s", "b");

        assertThat(status).isEqualTo(DeliveryStatus.FAILED);
        OutboxEntry entry = notifier.outbox("INC-2026-000004").get(0);
        assertThat(entry.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(entry.failureReason()).containsIgnoringCase("connect");
    }

    @Test
    void aMailServerThatNeverAnswersStallsNoLongerThanTheConfiguredTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            // accepts connections (the kernel backlog does) but never sends the SMTP greeting
            when(inventory.findByName("web"))
                    .thenReturn(Optional.of(endpoint(new Owner("web", "w@example.test"), null)));
            JavaMailSenderImpl sender = sender(silent.getLocalPort());
            sender.setJavaMailProperties(applicationMailProperties());
            Notifier notifier = notifier(sender, List.of());

            Instant start = Instant.now();
            DeliveryStatus status =
                    notifier.notifyOwners("web", "INC-2026-000005", Notification.Kinds.OPENED, "s", "b");

            assertThat(status).isEqualTo(DeliveryStatus.FAILED);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
            assertThat(notifier.outbox("INC-2026-000005").get(0).failureReason())
                    .containsIgnoringCase("timed out");
        }
    }

    @Test
    void withoutAMailServerNotificationsGoToTheOutboxOnly() {
        when(inventory.findByName("web"))
                .thenReturn(Optional.of(endpoint(new Owner("web", "web-team@example.test"), null)));
        Notifier notifier = notifier(null, List.of());

        DeliveryStatus status = notifier.notifyOwners(
                "web", "INC-2026-000006", Notification.Kinds.STATUS_UPDATE, "still working", "Issued, deploying.");

        assertThat(status).isEqualTo(DeliveryStatus.OUTBOX_ONLY);
        OutboxEntry entry = notifier.outbox("INC-2026-000006").get(0);
        assertThat(entry.status()).isEqualTo(DeliveryStatus.OUTBOX_ONLY);
        assertThat(entry.recipients()).containsExactly("web-team@example.test");
        assertThat(entry.body()).isEqualTo("Issued, deploying.");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    /** The spring.mail.properties of application.yml, as Boot gives them to the mail sender. */
    private static Properties applicationMailProperties() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties all = yaml.getObject();
        Properties mail = new Properties();
        String prefix = "spring.mail.properties.";
        all.forEach((key, value) -> {
            if (key.toString().startsWith(prefix)) {
                mail.setProperty(key.toString().substring(prefix.length()), String.valueOf(value));
            }
        });
        assertThat(mail).containsKeys("mail.smtp.connectiontimeout", "mail.smtp.timeout");
        return mail;
    }

    private static JavaMailSenderImpl sender(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.connectiontimeout", "2000");
        properties.setProperty("mail.smtp.timeout", "2000");
        sender.setJavaMailProperties(properties);
        return sender;
    }

    @Test
    void executivesAreBriefedAtTheirOwnAddressesOrTheFallbackWhenNoneAreConfigured() throws Exception {
        Notifier configured = notifier(
                sender(smtp.getSmtp().getPort()),
                List.of("fallback@example.test"),
                List.of("cto@example.test", "ciso@example.test"));
        Notifier unconfigured = notifier(sender(smtp.getSmtp().getPort()), List.of("fallback@example.test"), List.of());

        assertThat(configured.notifyExecutives("INC-2026-000009", "opened", "INC-2026-000009 opened", "SEV1"))
                .isEqualTo(DeliveryStatus.SENT);
        assertThat(unconfigured.notifyExecutives("INC-2026-000010", "opened", "INC-2026-000010 opened", "SEV1"))
                .isEqualTo(DeliveryStatus.SENT);

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received[0].getSubject()).isEqualTo("[executive brief] INC-2026-000009 opened");
        assertThat(Arrays.stream(received[0].getRecipients(Message.RecipientType.TO))
                        .map(Object::toString))
                .containsExactly("cto@example.test", "ciso@example.test");
        assertThat(Arrays.stream(received[received.length - 1].getRecipients(Message.RecipientType.TO))
                        .map(Object::toString))
                .containsExactly("fallback@example.test");
    }

    private Notifier notifier(JavaMailSender sender, List<String> fallback) {
        return notifier(sender, fallback, List.of());
    }

    private Notifier notifier(JavaMailSender sender, List<String> fallback, List<String> executives) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (sender != null) {
            beans.addBean("mailSender", sender);
        }
        ObjectProvider<JavaMailSender> provider = beans.getBeanProvider(JavaMailSender.class);
        return new Notifier(
                provider,
                new OutboxRepository(new JdbcTemplate(dataSource)),
                inventory,
                new NotifyProperties(fallback, "certloop@example.test", executives),
                Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC),
                new DataSourceTransactionManager(dataSource));
    }

    private static Endpoint endpoint(Owner service, Owner certificate) {
        return new Endpoint(
                1L,
                "web",
                "www.example.test",
                443,
                null,
                List.of(),
                List.of("www.example.test"),
                1,
                Environment.PRODUCTION,
                service,
                certificate,
                ReplacementPath.INTERNAL_CA,
                "standard",
                null,
                null,
                Instant.EPOCH,
                Instant.EPOCH,
                null);
    }
}

package io.certloop.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class DeploymentConfigurationTest {

    @TempDir
    Path state;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withUserConfiguration(DeploymentConfiguration.class);
    }

    @Test
    void binds_reload_actions_by_name_from_server_configuration() {
        runner().withPropertyValues(
                        "certloop.deployment.reload-actions.test-nginx=/usr/sbin/nginx -s reload -c /etc/nginx/nginx.conf",
                        "certloop.deployment.reload-actions.noop=/bin/true",
                        "certloop.deployment.reload-timeout=5s",
                        "certloop.deployment.state-directory=" + state)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ReloadActions actions = context.getBean(ReloadActions.class);
                    assertThat(actions.names()).containsExactlyInAnyOrder("test-nginx", "noop");
                    assertThat(actions.run("noop").succeeded()).isTrue();
                    assertThat(context.getBean(Deployer.class).kind()).isEqualTo("files");
                    assertThat(context.getBean(DeploymentProperties.class).reloadTimeout())
                            .isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void starts_with_no_reload_actions_and_defaults() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ReloadActions.class).names()).isEmpty();
            DeploymentProperties properties = context.getBean(DeploymentProperties.class);
            assertThat(properties.reloadTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.answerTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void refuses_to_start_with_an_empty_reload_command() {
        runner().withPropertyValues("certloop.deployment.reload-actions.web= ")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("reload action 'web' has an empty command line"));
    }
}

package org.splitdomain.mailets.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.splitdomain.settings.RelayHost;

import com.google.common.collect.ImmutableList;

class RelayDeliveryConfigurationTest {
    private static RelayDeliveryConfiguration parse(FakeMailetConfig.Builder config) throws MessagingException {
        return RelayDeliveryConfiguration.from(config.mailetName("SplitDomainRemoteDelivery").build());
    }

    @Test
    void fromShouldApplyDefaults() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder());

        assertThat(configuration.getBounceProcessor()).isEqualTo("bounces");
        assertThat(configuration.getUnroutableProcessor()).isEqualTo("error");
        assertThat(configuration.remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("mx"))))
            .containsEntry("delayTime", RelayDeliveryConfiguration.DEFAULT_DELAY_TIME)
            .containsEntry("maxRetries", "5")
            .containsEntry("sendpartial", "true")
            .containsEntry("bounceProcessor", "bounces");
    }

    @Test
    void remoteDeliveryParametersShouldNameRelaysInOrderWithoutLoadBalancing() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder().setProperty("outgoingPrefix", "relay"));

        assertThat(configuration.remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("h1"), RelayHost.parse("h2:2525"))))
            .containsEntry("gateway", "h1:25,h2:2525")
            .containsEntry("loadBalancing", "false")
            .containsEntry("outgoing", "relay-h1-25_h2-2525");
    }

    @Test
    void fromShouldPassDeliveryParametersThrough() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder()
            .setProperty("startTLS", "true")
            .setProperty("gatewayUsername", "relay-user")
            .setProperty("gatewayPassword", "relay-secret")
            .setProperty("delayTime", "3 * 10 minutes, 1 hour")
            .setProperty("maxRetries", "4"));

        assertThat(configuration.remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("h1"))))
            .containsEntry("startTLS", "true")
            .containsEntry("gatewayUsername", "relay-user")
            .containsEntry("gatewayPassword", "relay-secret")
            .containsEntry("delayTime", "3 * 10 minutes, 1 hour")
            .containsEntry("maxRetries", "4");
    }

    @ParameterizedTest
    @CsvSource({
        "maxRetries, -1, 'SplitDomainRemoteDelivery: ''maxRetries'' must be a whole number, 0 or more, got ''-1'''",
        "maxRetries, abc, 'SplitDomainRemoteDelivery: ''maxRetries'' must be a whole number, 0 or more, got ''abc'''",
        "timeout, 0, 'SplitDomainRemoteDelivery: ''timeout'' must be a positive number of milliseconds, got ''0'''",
        "connectiontimeout, soon, 'SplitDomainRemoteDelivery: ''connectiontimeout'' must be a positive number of milliseconds, got ''soon'''",
        "startTLS, yes, 'SplitDomainRemoteDelivery: ''startTLS'' must be true or false, got ''yes'''",
        "sendpartial, 1, 'SplitDomainRemoteDelivery: ''sendpartial'' must be true or false, got ''1'''",
        "outgoingPrefix, bad name, 'SplitDomainRemoteDelivery: ''outgoingPrefix'' must be made of letters, digits, ''.'', ''-'' and ''_'', got ''bad name'''",
        "bounceProcessor, '  ', 'SplitDomainRemoteDelivery: ''bounceProcessor'' must not be empty'",
        "loopSecret, short, 'SplitDomainRemoteDelivery: ''loopSecret'' must be at least 16 characters long'"})
    void fromShouldRejectBadValuesNamingMailetParameterAndValue(String parameter, String value, String message) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty(parameter, value)))
            .isInstanceOf(MessagingException.class)
            .hasMessage(message);
    }

    @Test
    void fromShouldRejectUnparsableDelays() {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty("delayTime", "soon")))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitDomainRemoteDelivery: 'delayTime' is not a list of delays such as")
            .hasMessageContaining("got 'soon'");
    }

    @Test
    void fromShouldRejectAUsernameWithoutPassword() {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty("gatewayUsername", "relay-user")))
            .isInstanceOf(MessagingException.class)
            .hasMessage("SplitDomainRemoteDelivery: 'gatewayUsername' and 'gatewayPassword' go together");
    }
    @Test
    void fromShouldRejectAPasswordWithoutUsername() {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty("gatewayPassword", "relay-secret")))
            .isInstanceOf(MessagingException.class)
            .hasMessage("SplitDomainRemoteDelivery: 'gatewayUsername' and 'gatewayPassword' go together");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 minute, soon", "soon, 1 minute", "1 minute, 2 minutes, later"})
    void fromShouldRejectDelaysWithAnUnparsablePart(String delayTime) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty("delayTime", delayTime)))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitDomainRemoteDelivery: 'delayTime' is not a list of delays such as")
            .hasMessageContaining("got '" + delayTime + "'");
    }

    @Test
    void fromShouldRejectUnparsableDelaysEvenWithoutRetries() {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder()
                .setProperty("maxRetries", "0")
                .setProperty("delayTime", "soon")))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("SplitDomainRemoteDelivery: 'delayTime' is not a list of delays such as")
            .hasMessageContaining("got 'soon'");
    }

    @Test
    void fromShouldAcceptZeroRetries() throws Exception {
        assertThat(parse(FakeMailetConfig.builder().setProperty("maxRetries", "0"))
                .remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("h1"))))
            .containsEntry("maxRetries", "0");
    }

    @ParameterizedTest
    @CsvSource({
        "maxDnsProblemRetries, -3, 'SplitDomainRemoteDelivery: ''maxDnsProblemRetries'' must be a whole number, 0 or more, got ''-3'''",
        "timeout, abc, 'SplitDomainRemoteDelivery: ''timeout'' must be a positive number of milliseconds, got ''abc'''",
        "sslEnable, TRUE, 'SplitDomainRemoteDelivery: ''sslEnable'' must be true or false, got ''TRUE'''",
        "verifyServerIdentity, no, 'SplitDomainRemoteDelivery: ''verifyServerIdentity'' must be true or false, got ''no'''",
        "unroutableProcessor, '  ', 'SplitDomainRemoteDelivery: ''unroutableProcessor'' must not be empty'",
        "outgoingPrefix, relay/queue, 'SplitDomainRemoteDelivery: ''outgoingPrefix'' must be made of letters, digits, ''.'', ''-'' and ''_'', got ''relay/queue'''"})
    void fromShouldRejectOtherBadValues(String parameter, String value, String message) {
        assertThatThrownBy(() -> parse(FakeMailetConfig.builder().setProperty(parameter, value)))
            .isInstanceOf(MessagingException.class)
            .hasMessage(message);
    }

    @Test
    void fromShouldNameTheMailetAsConfigured() {
        assertThatThrownBy(() -> RelayDeliveryConfiguration.from(FakeMailetConfig.builder()
                .mailetName("RelayToSlave")
                .setProperty("maxRetries", "-1")
                .build()))
            .isInstanceOf(MessagingException.class)
            .hasMessageStartingWith("RelayToSlave: 'maxRetries'");
    }

    @Test
    void fromShouldTrimValues() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder()
            .setProperty("maxRetries", " 3 ")
            .setProperty("unroutableProcessor", " relay-lost ")
            .setProperty("outgoingPrefix", " relay "));

        assertThat(configuration.getUnroutableProcessor()).isEqualTo("relay-lost");
        assertThat(configuration.remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("h1"))))
            .containsEntry("maxRetries", "3")
            .containsEntry("outgoing", "relay-h1-25");
    }

    @Test
    void queueNameShouldUseTheDefaultPrefix() throws Exception {
        assertThat(parse(FakeMailetConfig.builder()).queueName(ImmutableList.of(RelayHost.parse("mx.example.net:2525"))))
            .isEqualTo("split-domain-relay-mx.example.net-2525");
    }

    @Test
    void remoteDeliveryParametersShouldNotHandOurOwnParametersToRemoteDelivery() throws Exception {
        RelayDeliveryConfiguration configuration = parse(FakeMailetConfig.builder()
            .setProperty("outgoingPrefix", "relay")
            .setProperty("unroutableProcessor", "relay-lost")
            .setProperty("loopSecret", "a-secret-of-at-least-16-chars"));

        assertThat(configuration.remoteDeliveryParameters(ImmutableList.of(RelayHost.parse("h1"))))
            .doesNotContainKeys("outgoingPrefix", "unroutableProcessor", "loopSecret");
        assertThat(configuration.getLoopSecret()).contains("a-secret-of-at-least-16-chars");
    }

    @Test
    void getLoopSecretShouldBeEmptyByDefault() throws Exception {
        assertThat(parse(FakeMailetConfig.builder()).getLoopSecret()).isEmpty();
    }
}

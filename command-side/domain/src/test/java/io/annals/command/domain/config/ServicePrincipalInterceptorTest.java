package io.annals.command.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.command.api.common.DomainException;
import io.annals.command.api.common.MetadataKeys;
import io.annals.command.api.endpoint.DeployModelVersion;
import io.annals.command.api.endpoint.EndpointName;
import io.annals.command.api.model.ModelName;
import io.annals.command.api.trainingrun.FailTrainingRun;
import io.annals.command.api.trainingrun.TrainingRunId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

class ServicePrincipalInterceptorTest {

    private final AtomicInteger handled = new AtomicInteger();

    private Object send(Object command, String actor) throws Exception {
        var message = GenericCommandMessage.asCommandMessage(command).andMetaData(Map.of(MetadataKeys.ACTOR, actor));
        var unitOfWork = DefaultUnitOfWork.startAndGet(message);
        try {
            return new ServicePrincipalInterceptor().handle(unitOfWork, () -> handled.incrementAndGet());
        } finally {
            unitOfWork.rollback();
        }
    }

    private static final DeployModelVersion DEPLOY = new DeployModelVersion(EndpointName.of("prod-eu"),
            ModelName.of("ranker"), 1, null, 100, "from a worker");

    @Test
    void aTrainingWorkerMayFailARun_butNotDeploy() throws Exception {
        send(new FailTrainingRun(TrainingRunId.of("run-1"), "w1", "out of memory"), "service:training-worker/w1");
        assertThat(handled).hasValue(1);
        assertThatThrownBy(() -> send(DEPLOY, "service:training-worker/w1"))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.code()).isEqualTo(DomainException.Code.FORBIDDEN))
                .hasMessage("service:training-worker/w1 (role training-worker) may not send DeployModelVersion: "
                        + "it needs permission endpoint:deploy");
        assertThat(handled).hasValue(1);
    }

    @Test
    void theDriftMonitorMayNotTrain() {
        assertThatThrownBy(() -> send(new FailTrainingRun(TrainingRunId.of("run-1"), "w1", "x"),
                "service:drift-monitor")).hasMessageContaining("needs permission run:execute");
    }

    @Test
    void peopleAndOtherServicesAreCheckedByTheApi_notHere() throws Exception {
        send(DEPLOY, "user:alice");
        send(DEPLOY, "service:ci-pipeline");
        assertThat(handled).hasValue(2);
    }
}

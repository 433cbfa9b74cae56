package io.annals.command.api.trainingset;

public enum TrainingSetStatus { REQUESTED, RUNNING, COMPLETED, FAILED }

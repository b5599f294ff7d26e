import {
  formatAnswer,
  isAnswered,
  listVisibleQuestionIds,
  type AnswerValue,
  type TemplateDefinition,
} from '@avior/contract';
import { useMemo } from 'react';
import type { LocalAnswer } from '../../../data/index.ts';

interface DetailAnswersProps {
  definition: TemplateDefinition;
  answers: readonly LocalAnswer[];
}

/** Renders a survey's formatted answers by section, leaving out questions that earlier answers hide. */
export function DetailAnswers({ definition, answers }: DetailAnswersProps) {
  const byQuestion = useMemo(
    () => new Map(answers.map((answer) => [answer.questionId, answer])),
    [answers],
  );
  const visible = useMemo(() => {
    const values = new Map<string, AnswerValue>();
    for (const answer of answers) {
      if (isAnswered(answer.value)) {
        values.set(answer.questionId, answer.value);
      }
    }

    return listVisibleQuestionIds(definition, values);
  }, [definition, answers]);

  return (
    <section className="panel" aria-labelledby="detail-answers-title">
      <h2 className="panel__title" id="detail-answers-title">
        Answers
      </h2>
      {definition.sections.map((section) => {
        const questions = section.questions.filter((question) => visible.has(question.id));
        if (questions.length === 0) {
          return null;
        }

        return (
          <div key={section.id} className="detail-section">
            <h3 className="detail-section__title">{section.title}</h3>
            <dl className="detail-answers">
              {questions.map((question) => {
                const answer = byQuestion.get(question.id);
                const answered = isAnswered(answer?.value);
                return (
                  <div
                    key={question.id}
                    className={`detail-answer${answered ? '' : ' detail-answer--blank'}`}
                    data-testid="detail-answer"
                    data-question-id={question.id}
                  >
                    <dt>{question.label}</dt>
                    <dd>
                      {formatAnswer(question, answer?.value)}
                      {answer?.note ? (
                        <span className="detail-answer__note">Note: {answer.note}</span>
                      ) : null}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </div>
        );
      })}
    </section>
  );
}

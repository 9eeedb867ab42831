"""One step of a chat survey: the current question, its prompt, taking an answer."""
from __future__ import annotations

from dataclasses import dataclass

from handlers import replies, survey_meaning
from handlers.context import Context
from handlers.inbound import ImageMessage, Inbound
from models.surveys import SurveyRun
from surveys import questions
from surveys.answers import clean_one, next_question, summary_lines
from surveys.errors import AnswerError

SKIP = ("跳过", "略过", "不填")
CONFIRM = "confirm"  # take_answer's "not yet": the option the words seem to mean is offered back


@dataclass
class Step:
    """The run, its definition and the conversation state (answers, path, current)."""

    run: SurveyRun
    d: dict
    state: dict

    @property
    def current(self) -> dict | None:
        code = self.state.get("current")
        return next((q for q in self.d["questions"] if q["code"] == code), None)

    def forward(self) -> None:
        """Move past the current question to the next visible one (or to confirmation)."""
        nxt = next_question(self.d, self.state["answers"], after=self.state["current"])
        if nxt is None:
            self.state["stage"], self.state["current"] = "confirm", None
        else:
            self.state["current"] = nxt["code"]

    def back(self) -> None:
        """Return to the last answered question (notes in between are passed over again)."""
        self.state["stage"] = "question"
        while self.state["path"]:
            code = self.state["path"].pop()
            self.state["answers"].pop(code, None)
            self.state["current"] = code
            if any(q["code"] == code and questions.get(q["type"]).answerable for q in self.d["questions"]):
                return

    def skip_notes(self) -> list[str]:
        """Notes before the next answerable question, passed over and returned for display."""
        notes = []
        while self.current is not None and not questions.get(self.current["type"]).answerable:
            notes.append(self.current["title"])
            self.state["path"].append(self.current["code"])
            self.forward()
        return notes


def take_answer(step: Step, inbound: Inbound, text: str) -> str | None:
    """Store the answer to the current question; returns a validation message instead when invalid."""
    q = step.current
    kind = questions.get(q["type"])
    if isinstance(inbound, ImageMessage):
        if not kind.accepts_images:
            return "这道题请回复文字"
        raw = [f"wechat-media:{inbound.media_id}"]
    elif text in SKIP:
        raw = None
    else:
        raw = kind.parse_chat(q, inbound.text or "")
        pending = step.state.pop("pending", None)
        if kind.gate_capable and kind.option_code(q, raw) is None:  # words, not a number or a label
            meant = survey_meaning.option_for(q, inbound.text or "", pending)
            if meant.ask:
                step.state["pending"] = {"q": q["code"], "code": meant.ask}
                return CONFIRM
            raw = meant.sure or raw
    try:
        value = clean_one(q, raw)
    except AnswerError as exc:
        return str(exc) + ("" if q.get("required") else "（不想回答可回复“跳过”）")
    if value is not None:
        step.state["answers"][q["code"]] = value
    step.state["path"].append(q["code"])
    step.forward()
    return None


def prompt(ctx: Context, step: Step, *, error: str | None = None, intro: bool = False, resumed: bool = False,
           changing: bool = False, link: str = "", share: dict | None = None) -> replies.Reply:
    """The next thing to say: a question (with notes and errors, or an option to confirm) or the
    confirmation."""
    if error == CONFIRM:
        return ctx.say("wechat/survey_meaning.txt", label=_label(step.current, step.state["pending"]["code"]))
    notes = step.skip_notes() if step.state["stage"] == "question" else []
    if step.state["stage"] == "confirm":
        return ctx.say("wechat/survey_confirm.txt", run=step.run, error=error,
                       lines=summary_lines(step.d, step.state["answers"]))
    q = step.current
    options = questions.options_of(q) if questions.get(q["type"]).has_options else []
    return ctx.say("wechat/survey_question.txt", run=step.run, d=step.d, q=q, options=options, notes=notes,
                   rows=q.get("rows", []), hint=questions.get(q["type"]).hint_for(q), error=error, intro=intro,
                   resumed=resumed, changing=changing, link=link, share=share, number=answered_count(step) + 1,
                   first=answered_count(step) == 0)


def answered_count(step: Step) -> int:
    return sum(1 for code in step.state["path"]
               if any(q["code"] == code and questions.get(q["type"]).answerable for q in step.d["questions"]))


def _label(q: dict, code: str) -> str:
    return next((o["label"] for o in questions.options_of(q) if o["code"] == code), code)

"""The demo's history: past calls, meetings, e-mails ... for every demo contact.

A contact manager opened on contacts without a single conversation looks
dead, and the history list, last contact and the ``last_contact<`` lookups
cannot be tried or timed on it. So each contact gets 0-8 entries (customers
and partners more, leads fewer, those entered lately fewer still), between
the day the contact was entered and the demo's today, never later: history
is the past, the calendar the future.

Like maker.py this never touches the database: generate() reads the lists
first (kinds and outcomes by id, from the file's own lists, so translated or
renamed entries work) and writes the rows this returns, on the worker thread
that makes the contacts. It draws from its own random.Random, so adding the
history left the contacts a seed makes as they were. Subjects and details are
in the contact's own language, as an owner who deals with Vilnius in
Lithuanian would write them; the search text is folded as history.py folds a
logged entry, so the History view finds a demo entry as it finds a typed one.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crmdesk.core.demo.tables import CN, LT, RU, US
from crmdesk.core.history.records import search_text
from crmdesk.core.storage.defaults import DEFAULTS
from crmdesk.core.storage.models import INTERACTION_KIND, OUTCOME

Row = dict[str, Any]

MAX_PER_CONTACT = 8
# What an entry is about; the default kinds (storage.defaults order) play these.
CALL, MEETING, EMAIL, LETTER, NOTE, SUPPORT = range(6)
KIND_ROLES = (CALL, MEETING, EMAIL, LETTER, NOTE, SUPPORT, NOTE)
# Shares of the default kinds. Mailing gets none: a mailing is one entry per
# contact of a selection, a thing the owner does, not a conversation.
KIND_SHARES = (0.40, 0.14, 0.25, 0.08, 0.07, 0.06, 0.0)
# Positions in the default outcome list; None: no outcome.
REACHED, LEFT_MESSAGE, NO_ANSWER, WRONG_NUMBER, MEETING_AGREED, ORDERED, COMPLAINT = range(7)
# (role, direction): the outcomes such an entry ends with, and their shares.
OUTCOME_SHARES: dict[tuple[int, str], tuple[tuple[int | None, float], ...]] = {
    (CALL, "out"): ((REACHED, 0.50), (LEFT_MESSAGE, 0.14), (NO_ANSWER, 0.18),
                    (WRONG_NUMBER, 0.02), (MEETING_AGREED, 0.08), (ORDERED, 0.08)),
    (CALL, "in"): ((REACHED, 0.70), (ORDERED, 0.15), (MEETING_AGREED, 0.05),
                   (COMPLAINT, 0.05), (None, 0.05)),
    (MEETING, "out"): ((None, 0.55), (REACHED, 0.15), (ORDERED, 0.25), (MEETING_AGREED, 0.05)),
    (MEETING, "in"): ((None, 0.60), (REACHED, 0.15), (ORDERED, 0.25)),
    (EMAIL, "out"): ((None, 0.80), (REACHED, 0.10), (ORDERED, 0.10)),
    (EMAIL, "in"): ((None, 0.70), (REACHED, 0.15), (ORDERED, 0.10), (COMPLAINT, 0.05)),
    (LETTER, "out"): ((None, 0.90), (REACHED, 0.10)),
    (LETTER, "in"): ((None, 0.95), (REACHED, 0.05)),
    (NOTE, ""): ((None, 1.0),),
    (SUPPORT, "out"): ((None, 0.50), (REACHED, 0.50)),
    (SUPPORT, "in"): ((None, 0.30), (REACHED, 0.40), (COMPLAINT, 0.30)),
}
# The share of entries of a role that the owner started; None: no direction (a note).
OUT_SHARE = {CALL: 0.65, MEETING: 0.5, EMAIL: 0.55, LETTER: 0.75, NOTE: None, SUPPORT: 0.1}
MEETING_MINUTES = (30, 45, 60, 60, 60, 90, 120)
# Entries per contact on average, by position in the default status list
# (lead, prospect, customer, former customer, partner, supplier); no status: the last.
STATUS_MEANS = (1.3, 2.7, 4.0, 2.7, 4.0, 2.7)
NO_STATUS_MEAN = 1.2
DETAILS_SHARE = 0.6  # entries with a line of details under the subject
COLLEAGUE_SHARE = 0.2  # meetings where a colleague from the same company sat in


@dataclass(frozen=True)
class HistoryLists:
    """The file's kinds and outcomes, by id, as the demo draws from them."""

    kind_ids: list[int]
    kind_cum: list[float]
    kind_roles: list[int]
    outcome_ids: list[int]  # by default position; empty: entries get no outcome
    status_means: tuple[float, ...]  # by position in the file's status list


def history_lists(kind_ids: list[int], outcome_ids: list[int], *,
                  default_statuses: bool) -> HistoryLists:
    """Shares and roles for the lists of the file (ids in list order).

    The default lists get the shares above by position, as the status shares
    in tables.py do; a list a user has changed gets even shares of kinds,
    notes for text and no outcomes, since nothing tells what its entries mean.
    """
    if len(kind_ids) == len(DEFAULTS[INTERACTION_KIND]):
        shares, roles = list(KIND_SHARES), list(KIND_ROLES)
    else:
        shares, roles = [1.0] * len(kind_ids), [NOTE] * len(kind_ids)
    outcomes = outcome_ids if len(outcome_ids) == len(DEFAULTS[OUTCOME]) else []
    total = sum(shares) or 1.0
    cum = list(itertools.accumulate(s / total for s in shares))
    if cum:
        cum[-1] = 1.0
    return HistoryLists(kind_ids=list(kind_ids), kind_cum=cum, kind_roles=roles,
                        outcome_ids=list(outcomes),
                        status_means=STATUS_MEANS if default_statuses else ())


# -- what the entries say, per country (in its language) ----------------------------

# Seasons from winter, in the form the "{season}" of the subjects wants.
SEASONS = {
    US: ("winter", "spring", "summer", "autumn"),
    RU: ("зиму", "весну", "лето", "осень"),
    LT: ("žiemai", "pavasariui", "vasarai", "rudeniui"),
    CN: ("冬季", "春季", "夏季", "秋季"),
}

# country -> role -> (subjects, details); "{n}" is a document number.
TEXTS: dict[str, dict[int, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    US: {
        CALL: (("Follow-up on the quote", "Price list for {season}", "Delivery dates",
                "Question about the invoice", "Order for next month", "Payment reminder",
                "Introductory call", "Discount for a bigger order"),
               ("Asked to call back next week.",
                "Agreed on the price; the order comes by Friday.",
                "Wants a discount for 500 units.",
                "Discussed delivery terms and the warehouse hours.",
                "Busy with the annual report; call again after the 15th.")),
        MEETING: (("Meeting at their office", "Product demo", "Contract negotiation",
                   "Lunch with the buyer", "Annual review", "Visit to the warehouse",
                   "Meeting at the trade show", "The {season} range presented"),
                  ("Showed the new samples; they liked most of them.",
                   "Agreed to sign by the end of the month.",
                   "Met the new purchasing manager.",
                   "Went through the open invoices together.")),
        EMAIL: (("Quote No. {n}", "Price list for {season}", "Order confirmation",
                 "Invoice No. {n}", "Samples sent", "Updated terms of delivery",
                 "Catalogue request", "Meeting notes"),
                ("Sent the PDF and asked to confirm receipt.",
                 "They replied with questions about payment terms.",
                 "Attached the updated price list.", "Forwarded to the accountant.")),
        LETTER: (("Contract draft", "Signed contract", "Season's greetings", "Thank-you letter",
                  "Commercial offer", "Statement of account", "Quality certificate"),
                 ("Sent by post in two copies.", "Original with signature and stamp.",
                  "Sent by courier.")),
        NOTE: (("Prefers calls in the morning", "Budget approved",
                "Switched to another supplier", "Do not call on Fridays",
                "Decision expected next month", "New phone number at the office",
                "On vacation until the end of the month"),
               ("Heard it at the last meeting.", "Told by a colleague.",
                "Check again before the next order.")),
        SUPPORT: (("Damaged delivery", "Wrong item received", "Warranty claim",
                   "Return request", "Question about installation", "Missing documents",
                   "Late delivery"),
                  ("Replacement sent the same day.", "Passed on to the warehouse.",
                   "Refund approved.", "Photos of the damage received.")),
    },
    RU: {
        CALL: (("Уточнение по коммерческому предложению", "Прайс-лист на {season}",
                "Сроки поставки", "Вопрос по счёту", "Заказ на следующий месяц",
                "Напоминание об оплате", "Первый звонок", "Скидка на крупный заказ"),
               ("Просил перезвонить на следующей неделе.",
                "Договорились о цене, заказ пришлют до пятницы.",
                "Хочет скидку на 500 единиц.",
                "Обсудили условия доставки и часы работы склада.",
                "Занят годовым отчётом, перезвонить после 15-го.")),
        MEETING: (("Встреча в офисе клиента", "Демонстрация продукции",
                   "Переговоры по договору", "Обед с закупщиком", "Итоги года",
                   "Визит на склад", "Встреча на выставке", "Презентация коллекции на {season}"),
                  ("Показали новые образцы, большинство понравилось.",
                   "Договорились подписать до конца месяца.",
                   "Познакомились с новым менеджером по закупкам.",
                   "Вместе сверили неоплаченные счета.")),
        EMAIL: (("Коммерческое предложение № {n}", "Прайс-лист на {season}",
                 "Подтверждение заказа", "Счёт на оплату № {n}", "Образцы отправлены",
                 "Новые условия поставки", "Запрос каталога", "Протокол встречи"),
                ("Отправили PDF, попросили подтвердить получение.",
                 "Ответили вопросами об условиях оплаты.",
                 "Приложили обновлённый прайс-лист.", "Переслали бухгалтеру.")),
        LETTER: (("Проект договора", "Подписанный договор", "Поздравление с праздником",
                  "Благодарственное письмо", "Коммерческое предложение", "Акт сверки",
                  "Сертификат качества"),
                 ("Отправлено почтой в двух экземплярах.", "Оригинал с подписью и печатью.",
                  "Отправлено курьером.")),
        NOTE: (("Предпочитает звонки по утрам", "Бюджет утверждён",
                "Перешли к другому поставщику", "Не звонить по пятницам",
                "Решение ждут в следующем месяце", "Новый телефон в офисе",
                "В отпуске до конца месяца"),
               ("Сказали на последней встрече.", "Узнали от коллеги.",
                "Проверить перед следующим заказом.")),
        SUPPORT: (("Повреждённая поставка", "Прислали не тот товар", "Гарантийный случай",
                   "Заявка на возврат", "Вопрос по монтажу", "Не хватает документов",
                   "Задержка поставки"),
                  ("Замену отправили в тот же день.", "Передали на склад.",
                   "Возврат денег одобрен.", "Получили фото повреждений.")),
    },
    LT: {
        CALL: (("Dėl komercinio pasiūlymo", "Kainoraštis {season}", "Pristatymo terminai",
                "Klausimas dėl sąskaitos", "Kito mėnesio užsakymas",
                "Priminimas apie apmokėjimą", "Pirmasis skambutis",
                "Nuolaida didesniam užsakymui"),
               ("Prašė perskambinti kitą savaitę.",
                "Sutarėme dėl kainos, užsakymą atsiųs iki penktadienio.",
                "Nori nuolaidos 500 vienetų.",
                "Aptarėme pristatymo sąlygas ir sandėlio darbo laiką.",
                "Užsiėmęs metine ataskaita, perskambinti po 15 d.")),
        MEETING: (("Susitikimas kliento biure", "Produkcijos demonstracija",
                   "Sutarties derybos", "Pietūs su pirkėju", "Metų apžvalga",
                   "Apsilankymas sandėlyje", "Susitikimas parodoje", "Kolekcija {season}"),
                  ("Parodėme naujus pavyzdžius, dauguma patiko.",
                   "Sutarėme pasirašyti iki mėnesio pabaigos.",
                   "Susipažinome su nauju pirkimų vadovu.",
                   "Kartu peržiūrėjome neapmokėtas sąskaitas.")),
        EMAIL: (("Komercinis pasiūlymas Nr. {n}", "Kainoraštis {season}",
                 "Užsakymo patvirtinimas", "Sąskaita faktūra Nr. {n}", "Pavyzdžiai išsiųsti",
                 "Naujos pristatymo sąlygos", "Katalogo užklausa", "Susitikimo protokolas"),
                ("Išsiuntėme PDF, paprašėme patvirtinti gavimą.",
                 "Atsakė klausimais dėl apmokėjimo sąlygų.",
                 "Pridėjome atnaujintą kainoraštį.", "Persiuntėme buhalterei.")),
        LETTER: (("Sutarties projektas", "Pasirašyta sutartis", "Šventinis sveikinimas",
                  "Padėkos laiškas", "Komercinis pasiūlymas", "Skolų suderinimo aktas",
                  "Kokybės sertifikatas"),
                 ("Išsiųsta paštu dviem egzemplioriais.", "Originalas su parašu ir antspaudu.",
                  "Išsiųsta per kurjerį.")),
        NOTE: (("Mieliau kalba rytais", "Biudžetas patvirtintas", "Perėjo pas kitą tiekėją",
                "Neskambinti penktadieniais", "Sprendimo laukia kitą mėnesį",
                "Naujas biuro telefonas", "Atostogauja iki mėnesio pabaigos"),
               ("Sakė paskutiniame susitikime.", "Sužinojome iš kolegos.",
                "Patikrinti prieš kitą užsakymą.")),
        SUPPORT: (("Sugadinta siunta", "Atsiųsta ne ta prekė", "Garantinis atvejis",
                   "Grąžinimo prašymas", "Klausimas dėl montavimo", "Trūksta dokumentų",
                   "Vėluojantis pristatymas"),
                  ("Pakaitinė prekė išsiųsta tą pačią dieną.", "Perdavėme sandėliui.",
                   "Pinigų grąžinimas patvirtintas.", "Gavome sugadinimo nuotraukas.")),
    },
    CN: {
        CALL: (("报价跟进", "{season}价格表", "交货日期", "发票问题", "下月订单", "付款提醒",
                "初次电话联系", "大批量订单折扣"),
               ("要求下周再打电话。", "价格已谈妥，周五前下单。", "希望500件能有折扣。",
                "讨论了交货条件和仓库工作时间。", "忙于年度报告，15号以后再联系。")),
        MEETING: (("拜访客户办公室", "产品演示", "合同谈判", "与采购经理共进午餐",
                   "年度总结会", "参观仓库", "展会洽谈", "{season}新品发布"),
                  ("展示了新样品，客户大多满意。", "约定月底前签合同。",
                   "认识了新的采购经理。", "一起核对了未付发票。")),
        EMAIL: (("报价单 第{n}号", "{season}价格表", "订单确认", "发票 第{n}号", "样品已寄出",
                 "新的交货条款", "索取产品目录", "会议纪要"),
                ("已发送PDF，请对方确认收到。", "对方就付款条件提出了问题。",
                 "附上了最新价格表。", "已转给会计。")),
        LETTER: (("合同草案", "已签署的合同", "节日贺信", "感谢信", "商务报价函", "对账单",
                  "质量证书"),
                 ("邮寄一式两份。", "原件已签字盖章。", "已通过快递寄出。")),
        NOTE: (("喜欢上午接电话", "预算已批准", "已换了供应商", "周五不要打电话",
                "下个月做决定", "办公室换了新电话", "休假到月底"),
               ("上次见面时提到的。", "听同事说的。", "下次订货前再确认。")),
        SUPPORT: (("货物破损", "发错了货", "保修申请", "退货申请", "安装问题咨询", "缺少单据",
                   "延迟交货"),
                  ("当天已寄出替换品。", "已转交仓库处理。", "退款已批准。", "已收到破损照片。")),
    },
}


# -- the rows ----------------------------------------------------------------------


class HistoryMaker:
    """Makes the interaction and interaction_contact rows of one contact at a time."""

    def __init__(self, lists: HistoryLists, seed: int, end: datetime, first_id: int):
        self.lists = lists
        self.rng = random.Random(f"crmdesk demo history {seed}")
        self.end = end
        self.next_id = first_id
        self.folded: dict[tuple[str, str], str] = {}  # few texts, many entries
        self.outcome_cum = {key: (list(itertools.accumulate(s for _o, s in shares)),
                                  [o for o, _s in shares])
                            for key, shares in OUTCOME_SHARES.items()}

    def count(self, status: int | None, created: datetime) -> int:
        """How many entries: by status, and fewer for contacts entered lately
        (someone entered last month has had a call or two, not eight)."""
        means = self.lists.status_means
        mean = means[status] if status is not None and status < len(means) else NO_STATUS_MEAN
        age = (self.end - created).days
        mean *= min(1.0, 0.3 + age / 365)
        p = min(1.0, mean / MAX_PER_CONTACT)
        rnd = self.rng.random
        return sum(rnd() < p for _ in range(MAX_PER_CONTACT))

    def moment(self, created: datetime) -> datetime:
        """A time after ``created`` and before the end, in working hours on a weekday;
        for a contact entered only hours ago, soon after it was entered (the call
        in which it was typed in), not at midnight."""
        rng = self.rng
        at = created + (self.end - created) * rng.random()
        day = at.replace(hour=0, minute=0, second=0, microsecond=0)
        if day.weekday() >= 5:  # to a weekday of the same week, any of the five
            weekday = day - timedelta(days=day.weekday() - rng.randrange(5))
            if weekday >= created.replace(hour=0, minute=0, second=0, microsecond=0):
                day = weekday
        work = day + timedelta(seconds=rng.randrange(8 * 3600, 19 * 3600))
        if created < work < self.end:
            at = work
        elif at.date() == created.date():
            at = min(created + timedelta(minutes=rng.randrange(5, 60)), at)
        return at.replace(microsecond=0)

    def contact(self, cid: int, country: str, status: int | None, company_id: int | None,
                colleagues: list[tuple[int, str]], created: datetime,
                rows: dict[str, list[Row]]) -> None:
        """The history of one contact, oldest first, appended to ``rows``.

        ``colleagues`` are (id, name) of contacts of the same company made before
        (so entered earlier): now and then one of them sat in on a meeting too.
        """
        if not self.lists.kind_ids:
            return
        n = self.count(status, created)
        for at in sorted(self.moment(created) for _ in range(n)):
            self.entry(cid, country, company_id, colleagues, at, rows)

    def entry(self, cid: int, country: str, company_id: int | None,
              colleagues: list[tuple[int, str]],
              at: datetime, rows: dict[str, list[Row]]) -> None:
        rng, lists = self.rng, self.lists
        k = min(bisect.bisect_right(lists.kind_cum, rng.random()), len(lists.kind_ids) - 1)
        role = lists.kind_roles[k]
        out = OUT_SHARE[role]
        direction = "" if out is None else "out" if rng.random() < out else "in"
        cum, outcomes = self.outcome_cum[(role, direction)]
        outcome = outcomes[min(bisect.bisect_right(cum, rng.random() * cum[-1]),
                               len(outcomes) - 1)]
        duration: int | None = None
        if role == CALL:
            if outcome == LEFT_MESSAGE:
                duration = 1
            elif outcome not in (NO_ANSWER, WRONG_NUMBER):
                duration = min(90, 1 + int(rng.expovariate(1 / 6)))
        elif role == MEETING:
            duration = rng.choice(MEETING_MINUTES)
        subjects, details_list = TEXTS[country][role]
        subject = rng.choice(subjects)
        if "{" in subject:
            subject = subject.format(season=SEASONS[country][(at.month + 1) % 12 // 3],
                                     n=rng.randrange(100, 1000))
        details = rng.choice(details_list) if rng.random() < DETAILS_SHARE else ""
        key = (subject, details)
        folded = self.folded.get(key)
        if folded is None:
            folded = self.folded[key] = search_text(subject, details)
        iid = self.next_id
        self.next_id += 1
        rows["interaction"].append({
            "id": iid, "kind_id": lists.kind_ids[k], "direction": direction, "at": at,
            "duration_min": duration, "subject": subject,
            "outcome_id": lists.outcome_ids[outcome] if outcome is not None and
            lists.outcome_ids else None,
            "details": details, "company_id": company_id, "search_text": folded,
            "created_at": at, "updated_at": at})
        links = rows["interaction_contact"]
        links.append({"interaction_id": iid, "contact_id": cid})
        if role == MEETING and colleagues and rng.random() < COLLEAGUE_SHARE:
            links.append({"interaction_id": iid, "contact_id": rng.choice(colleagues)[0]})

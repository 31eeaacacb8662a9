"""The hand-made tables behind the demo database.

Faker knows names well but not how a Russian street line, a Lithuanian
postcode or a Shanghai landline look together, so the things that must agree
with each other (city, region, postcode prefix, telephone area code) are kept
here as small real tables, one country per block. Words a person writes
(job titles, notes) are in the country's own language; the labels and the
industry list are in English, as one owner would keep them in one language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A real city with what goes with it: region, postcode prefixes, area codes."""

    name: str
    region: str
    postcodes: tuple[str, ...]  # leading digits; the rest is random
    area_codes: tuple[str, ...]  # landline area codes (national, no trunk prefix)
    districts: tuple[str, ...] = ()  # CN: part of the street line


US, RU, LT, CN = "US", "RU", "LT", "CN"

# Country, Faker locale and the share of demo contacts from there.
COUNTRIES: tuple[tuple[str, str, float], ...] = (
    (US, "en_US", 0.35),
    (RU, "ru_RU", 0.25),
    (LT, "lt_LT", 0.20),
    (CN, "zh_CN", 0.20),
)

POSTCODE_DIGITS = {US: 5, RU: 6, LT: 5, CN: 6}

CITIES: dict[str, tuple[City, ...]] = {
    US: (
        City("New York", "NY", ("100", "101", "102", "104"), ("212", "646", "718", "917")),
        City("Los Angeles", "CA", ("900",), ("213", "310", "323")),
        City("Chicago", "IL", ("606",), ("312", "773")),
        City("Houston", "TX", ("770",), ("713", "832")),
        City("Phoenix", "AZ", ("850",), ("602", "480")),
        City("Philadelphia", "PA", ("191",), ("215", "267")),
        City("San Antonio", "TX", ("782",), ("210",)),
        City("San Diego", "CA", ("921",), ("619", "858")),
        City("Dallas", "TX", ("752",), ("214", "972")),
        City("Seattle", "WA", ("981",), ("206",)),
        City("Boston", "MA", ("021",), ("617",)),
        City("Denver", "CO", ("802",), ("303", "720")),
        City("Atlanta", "GA", ("303",), ("404", "678")),
        City("Miami", "FL", ("331",), ("305", "786")),
        City("Portland", "OR", ("972",), ("503", "971")),
        City("Austin", "TX", ("787",), ("512",)),
        City("Minneapolis", "MN", ("554",), ("612",)),
        City("Nashville", "TN", ("372",), ("615",)),
    ),
    RU: (
        City("Москва", "", ("101", "105", "107", "109", "115", "117", "119", "121", "123", "125",
                            "127", "129"), ("495", "499")),
        City("Санкт-Петербург", "", ("190", "191", "192", "194", "196", "197", "198"), ("812",)),
        City("Новосибирск", "Новосибирская обл.", ("630",), ("383",)),
        City("Екатеринбург", "Свердловская обл.", ("620",), ("343",)),
        City("Казань", "Республика Татарстан", ("420",), ("843",)),
        City("Нижний Новгород", "Нижегородская обл.", ("603",), ("831",)),
        City("Самара", "Самарская обл.", ("443",), ("846",)),
        City("Ростов-на-Дону", "Ростовская обл.", ("344",), ("863",)),
        City("Краснодар", "Краснодарский край", ("350",), ("861",)),
        City("Челябинск", "Челябинская обл.", ("454",), ("351",)),
        City("Уфа", "Республика Башкортостан", ("450",), ("347",)),
        City("Пермь", "Пермский край", ("614",), ("342",)),
        City("Воронеж", "Воронежская обл.", ("394",), ("473",)),
    ),
    LT: (
        City("Vilnius", "", ("01", "03", "04", "06", "08", "09", "10", "11", "12"), ("5",)),
        City("Kaunas", "", ("44", "45", "47", "48", "49", "50", "51"), ("37",)),
        City("Klaipėda", "", ("91", "92", "93", "94", "95"), ("46",)),
        City("Šiauliai", "", ("76", "77", "78"), ("41",)),
        City("Panevėžys", "", ("35", "36", "37"), ("45",)),
        City("Alytus", "", ("62", "63"), ("315",)),
        City("Marijampolė", "", ("68",), ("343",)),
        City("Utena", "", ("28",), ("389",)),
        City("Telšiai", "", ("87",), ("444",)),
        City("Tauragė", "", ("72",), ("446",)),
        City("Palanga", "", ("00",), ("460",)),
        City("Druskininkai", "", ("66",), ("313",)),
    ),
    CN: (
        City("北京市", "", ("100",), ("10",), ("朝阳区", "海淀区", "东城区", "西城区", "丰台区")),
        City("上海市", "", ("200",), ("21",), ("浦东新区", "徐汇区", "静安区", "黄浦区", "长宁区")),
        City("天津市", "", ("300",), ("22",), ("和平区", "河西区", "南开区")),
        City("重庆市", "", ("400",), ("23",), ("渝中区", "江北区", "南岸区")),
        City("广州市", "广东省", ("510",), ("20",), ("天河区", "越秀区", "海珠区", "白云区")),
        City("深圳市", "广东省", ("518",), ("755",), ("南山区", "福田区", "罗湖区", "宝安区")),
        City("杭州市", "浙江省", ("310",), ("571",), ("西湖区", "上城区", "拱墅区", "滨江区")),
        City("苏州市", "江苏省", ("215",), ("512",), ("姑苏区", "吴中区", "相城区")),
        City("南京市", "江苏省", ("210",), ("25",), ("玄武区", "鼓楼区", "秦淮区", "建邺区")),
        City("成都市", "四川省", ("610",), ("28",), ("锦江区", "武侯区", "青羊区", "成华区")),
        City("武汉市", "湖北省", ("430",), ("27",), ("江汉区", "武昌区", "洪山区")),
        City("西安市", "陕西省", ("710",), ("29",), ("雁塔区", "碑林区", "未央区")),
    ),
}

MOBILE_PREFIXES: dict[str, tuple[str, ...]] = {
    RU: ("903", "905", "906", "909", "910", "915", "916", "917", "919", "925", "926", "929",
         "977", "985", "999"),
    LT: ("60", "61", "62", "63", "64", "65", "67", "68", "69"),
    CN: ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
         "155", "156", "158", "159", "177", "180", "185", "186", "187", "188", "189", "199"),
}

US_STREET_NAMES = (
    "Main", "Oak", "Maple", "Cedar", "Elm", "Pine", "Walnut", "Washington", "Lincoln",
    "Jefferson", "Madison", "Franklin", "Park", "Lake", "Hill", "Church", "Market", "Spring",
    "Ridge", "Sunset", "Highland", "River", "Chestnut", "Willow", "Mill", "Center", "Union",
    "Broad", "Water", "Liberty", "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th",
    "10th", "12th",
)
US_STREET_TYPES = ("St", "Ave", "Rd", "Blvd", "Dr", "Ln", "Way", "Ct", "Pl", "Pkwy")
US_SECOND_LINES = ("Suite {n}00", "Apt {n}B", "Floor {n}", "Unit {n}")

LT_STREETS = (
    "Gedimino pr.", "Konstitucijos pr.", "Laisvės al.", "Vilniaus g.", "Žalgirio g.",
    "Šeimyniškių g.", "Ąžuolyno g.", "Savanorių pr.", "Taikos pr.", "Ukmergės g.",
    "Kalvarijų g.", "Žirmūnų g.", "Antakalnio g.", "Pylimo g.", "J. Basanavičiaus g.",
    "Vytauto g.", "Maironio g.", "Šv. Stepono g.", "Didžioji g.", "Tilžės g.", "Liepų g.",
    "Beržų g.", "Klevų g.", "Mėnulio g.", "Vėtrungės g.", "Šilo g.", "Žemaitės g.",
    "Kęstučio g.", "Birutės g.", "Jūros g.", "Sodų g.", "Ežero g.",
)

CN_ROADS = (
    "人民路", "中山路", "解放路", "建设路", "和平路", "南京路", "长江路", "黄河路", "新华路",
    "文化路", "胜利路", "北京路", "延安路", "淮海路", "建国路", "学院路", "青年路", "光明路",
    "花园路", "东风路", "中山北路", "人民南路", "解放东路", "科技园路",
)

# Faker's Russian names include every saint's name in the calendar (Фока,
# Синклитикия); most Russians one meets are called one of these.
RU_COMMON_MALE = (
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван",
    "Михаил", "Артём", "Николай", "Владимир", "Павел", "Роман", "Игорь", "Олег", "Денис",
    "Виктор", "Юрий", "Антон", "Константин", "Илья", "Кирилл", "Никита", "Василий",
)
RU_COMMON_FEMALE = (
    "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Мария",
    "Екатерина", "Юлия", "Марина", "Анастасия", "Галина", "Людмила", "Дарья", "Ксения",
    "Виктория", "Алина", "Валентина", "Надежда",
)
# Patronymics: the same fathers' names, in the son's and the daughter's form.
RU_COMMON_FATHERS = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"),
    ("Дмитриевич", "Дмитриевна"), ("Андреевич", "Андреевна"), ("Алексеевич", "Алексеевна"),
    ("Владимирович", "Владимировна"), ("Николаевич", "Николаевна"),
    ("Михайлович", "Михайловна"), ("Иванович", "Ивановна"), ("Викторович", "Викторовна"),
    ("Юрьевич", "Юрьевна"), ("Евгеньевич", "Евгеньевна"), ("Игоревич", "Игоревна"),
    ("Олегович", "Олеговна"), ("Павлович", "Павловна"), ("Васильевич", "Васильевна"),
    ("Петрович", "Петровна"), ("Анатольевич", "Анатольевна"),
)

# Extra Lithuanian family names (male forms): Faker's lt_LT list is short.
LT_LAST_NAMES = (
    "Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas",
    "Butkus", "Paulauskas", "Urbonas", "Kavaliauskas", "Sakalauskas", "Navickas",
    "Ramanauskas", "Rimkus", "Savickas", "Bagdonas", "Baranauskas", "Vaitkus", "Mikalauskas",
    "Jonaitis", "Petraitis", "Adomaitis", "Valaitis", "Šimkus", "Šimkūnas", "Žilinskas",
    "Mažeika", "Balčiūnas", "Tamošiūnas", "Kubilius", "Lukoševičius", "Dambrauskas",
    "Vaičiulis", "Daukša", "Grigas", "Černiauskas", "Šukys", "Mockus", "Stonkus",
    "Jurevičius", "Kriaučiūnas", "Šidlauskas", "Žemaitis", "Čepulis", "Ščerbinskas",
)

# For companies whose name does not tell (ООО «Вектор»).
INDUSTRIES = (
    "Wholesale", "Retail", "Construction", "Manufacturing", "Logistics", "Food & beverage",
    "IT services", "Consulting", "Healthcare", "Agriculture", "Printing", "Furniture",
    "Automotive", "Hospitality",
)

# LT titles are gendered: (for a man, for a woman).
JOB_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    US: tuple((t, t) for t in (
        "Owner", "CEO", "General Manager", "Sales Manager", "Purchasing Manager",
        "Office Manager", "Accountant", "Marketing Director", "Buyer", "Store Manager",
        "Project Manager", "Chief Engineer", "Logistics Coordinator", "Account Executive",
        "CFO", "Operations Manager", "Procurement Specialist", "Head of Sales",
    )),
    RU: tuple((t, t) for t in (
        "Генеральный директор", "Директор", "Менеджер по продажам", "Главный бухгалтер",
        "Менеджер по закупкам", "Коммерческий директор", "Офис-менеджер",
        "Начальник отдела снабжения", "Директор по маркетингу", "Главный инженер", "Логист",
        "Руководитель проекта", "Заместитель директора", "Бухгалтер",
        "Специалист по закупкам",
    )),
    LT: (
        ("Direktorius", "Direktorė"), ("Generalinis direktorius", "Generalinė direktorė"),
        ("Pardavimų vadybininkas", "Pardavimų vadybininkė"),
        ("Vyriausiasis buhalteris", "Vyriausioji buhalterė"),
        ("Pirkimų vadovas", "Pirkimų vadovė"), ("Rinkodaros vadovas", "Rinkodaros vadovė"),
        ("Projektų vadovas", "Projektų vadovė"),
        ("Logistikos specialistas", "Logistikos specialistė"), ("Savininkas", "Savininkė"),
        ("Komercijos direktorius", "Komercijos direktorė"),
        ("Biuro administratorius", "Biuro administratorė"),
        ("Vyriausiasis inžinierius", "Vyriausioji inžinierė"),
    ),
    CN: tuple((t, t) for t in (
        "总经理", "董事长", "销售经理", "采购经理", "财务总监", "市场部经理", "办公室主任",
        "总工程师", "物流主管", "客户经理", "副总经理", "会计", "项目经理", "采购专员",
    )),
}

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    US: ("Sales", "Purchasing", "Accounting", "Marketing", "Logistics", "Management",
         "Engineering"),
    RU: ("Отдел продаж", "Отдел закупок", "Бухгалтерия", "Отдел маркетинга", "Логистика",
         "Дирекция"),
    LT: ("Pardavimų skyrius", "Pirkimų skyrius", "Buhalterija", "Rinkodaros skyrius",
         "Logistikos skyrius", "Administracija"),
    CN: ("销售部", "采购部", "财务部", "市场部", "物流部", "总经理办公室"),
}

# Company names are put together from these (see maker.Maker.company_name);
# a word that says what the company does comes with its industry.
US_COMPANY_WORDS: tuple[tuple[str, str], ...] = (
    ("Supply", "Wholesale"), ("Trading", "Wholesale"), ("Logistics", "Logistics"),
    ("Foods", "Food & beverage"), ("Builders", "Construction"), ("Design", "Consulting"),
    ("Motors", "Automotive"), ("Printing", "Printing"), ("Electric", "Construction"),
    ("Farms", "Agriculture"), ("Hardware", "Retail"), ("Bakery", "Food & beverage"),
    ("Furniture", "Furniture"), ("Consulting", "Consulting"), ("Plumbing", "Construction"),
    ("Textiles", "Manufacturing"), ("Auto Parts", "Automotive"), ("Flowers", "Retail"),
    ("Coffee Roasters", "Food & beverage"), ("Dental Lab", "Healthcare"),
    ("Packaging", "Manufacturing"), ("Freight", "Logistics"), ("Software", "IT services"),
    ("Inn", "Hospitality"), ("Office Supply", "Wholesale"),
)
US_COMPANY_FORMS = ("Inc.", "LLC", "Co.", "Corp.", "Group", "Ltd.")
RU_COMPANY_WORDS = (
    "Ромашка", "Вектор", "Альфа", "Гарант", "Меридиан", "Сибирь", "Север", "Восток", "Союз",
    "Прогресс", "Стройинвест", "ТехноСервис", "Эталон", "Горизонт", "Авангард", "Лидер",
    "Кристалл", "Исток", "Радуга", "Феникс", "Спектр", "Магистраль", "Агроторг", "Промснаб",
    "Энергия", "Монолит", "Атлант", "Орион", "Кедр", "Берёзка", "Волга", "Урал", "Байкал",
    "Алтай", "Стимул", "Профи", "Сфера", "Гермес", "Темп", "Ресурс",
)
RU_COMPANY_FORMS = ("ООО", "ООО", "ООО", "АО", "ПАО")
LT_COMPANY_ADJ = (
    "Baltijos", "Šiaurės", "Žemaitijos", "Aukštaitijos", "Nemuno", "Neries", "Vilniaus",
    "Kauno", "Klaipėdos", "Rytų", "Vakarų", "Ąžuolo", "Gintaro", "Saulės", "Vėtrungės",
)
LT_COMPANY_NOUNS: tuple[tuple[str, str], ...] = (
    ("prekyba", "Wholesale"), ("statyba", "Construction"), ("baldai", "Furniture"),
    ("logistika", "Logistics"), ("technologijos", "IT services"),
    ("sprendimai", "IT services"), ("projektai", "Consulting"), ("gėlės", "Retail"),
    ("duona", "Food & beverage"), ("transportas", "Logistics"), ("spauda", "Printing"),
    ("mediena", "Manufacturing"), ("ūkis", "Agriculture"), ("vaistinė", "Healthcare"),
    ("langai", "Construction"), ("svečių namai", "Hospitality"),
)
LT_COMPANY_FORMS = ("UAB", "UAB", "UAB", "MB", "AB")
CN_COMPANY_BRANDS = (
    "恒达", "华信", "鑫源", "天成", "宏远", "金桥", "永兴", "瑞丰", "博远", "新星", "盛世",
    "东方", "明德", "中联", "嘉禾", "润泽", "海纳", "银河", "兴业", "汇通", "佳美", "百川",
    "卓越", "锦程", "远航", "宝丰", "德信", "同创", "优品", "聚力",
)
CN_COMPANY_TRADES: tuple[tuple[str, str], ...] = (
    ("贸易", "Wholesale"), ("科技", "IT services"), ("电子", "Manufacturing"),
    ("实业", "Manufacturing"), ("物流", "Logistics"), ("建材", "Construction"),
    ("食品", "Food & beverage"), ("服装", "Retail"), ("机械", "Manufacturing"),
    ("化工", "Manufacturing"), ("家具", "Furniture"), ("印刷", "Printing"),
    ("汽车配件", "Automotive"), ("农业", "Agriculture"), ("酒店管理", "Hospitality"),
)
CN_COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司")
CN_CITY_PREFIXES = ("", "", "上海", "北京", "深圳", "广州", "杭州", "苏州")

FREE_MAIL: dict[str, tuple[str, ...]] = {
    US: ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com", "icloud.com"),
    RU: ("mail.ru", "yandex.ru", "gmail.com", "rambler.ru", "bk.ru", "list.ru"),
    LT: ("gmail.com", "one.lt", "inbox.lt", "yahoo.com", "hotmail.com"),
    CN: ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "gmail.com"),
}
COMPANY_TLD = {US: ".com", RU: ".ru", LT: ".lt", CN: ".com.cn"}

# Chinese business people often go by an English name with foreign partners.
CN_NICKNAMES = (
    "Kevin", "Lily", "Jack", "Amy", "Tony", "Grace", "Eric", "Vivian", "Leo", "Cindy",
    "Jason", "Helen", "Frank", "Coco", "Michael", "Sunny",
)

NOTES: dict[str, tuple[str, ...]] = {
    US: (
        "Met at the trade show; interested in wholesale prices.",
        "Prefers e-mail to phone calls.",
        "Call back after the 15th: budget approval pending.",
        "Asked for a catalogue and price list.",
        "Long-standing customer, always pays on time.",
        "Wants a quote for 200 units before the end of the quarter.",
        "Referred by a colleague; follow up next week.",
        "Out of the office in August.",
        "Makes the purchasing decisions.",
        "Send the holiday card to the office address.",
    ),
    RU: (
        "Познакомились на выставке, интересуется оптовыми ценами.",
        "Предпочитает переписку по электронной почте.",
        "Перезвонить после 15-го: ждёт утверждения бюджета.",
        "Просил прислать каталог и прайс-лист.",
        "Постоянный клиент, всегда платит вовремя.",
        "Нужно коммерческое предложение на 200 единиц до конца квартала.",
        "Пришёл по рекомендации коллеги, связаться на следующей неделе.",
        "В августе в отпуске.",
        "Принимает решения о закупках.",
        "Звонить после обеда.",
    ),
    LT: (
        "Susipažinome parodoje, domisi didmeninėmis kainomis.",
        "Mieliau bendrauja el. paštu.",
        "Perskambinti po 15 d.: laukia biudžeto patvirtinimo.",
        "Prašė atsiųsti katalogą ir kainoraštį.",
        "Nuolatinis klientas, visada atsiskaito laiku.",
        "Reikia pasiūlymo 200 vienetų iki ketvirčio pabaigos.",
        "Rekomendavo kolega; susisiekti kitą savaitę.",
        "Rugpjūtį atostogauja.",
        "Sprendžia dėl pirkimų.",
        "Kalėdinį sveikinimą siųsti į biuro adresą.",
    ),
    CN: (
        "在展会上认识，对批发价格感兴趣。",
        "更喜欢通过电子邮件联系。",
        "15号以后再打电话，预算还在审批中。",
        "要求寄送产品目录和价格表。",
        "老客户，付款一向准时。",
        "需要在季度末前报价200件。",
        "同事介绍的客户，下周跟进。",
        "八月份休假。",
        "负责采购决策。",
        "春节前寄送贺卡。",
    ),
}

# (tag, share of contacts); "{year}" becomes the current year.
TAGS: tuple[tuple[str, float], ...] = (
    ("newsletter", 0.35),
    ("wholesale", 0.12),
    ("retail", 0.10),
    ("christmas-card", 0.10),
    ("trade-show-{year}", 0.08),
    ("follow-up", 0.08),
    ("reseller", 0.05),
    ("vip", 0.05),
    ("key-account", 0.04),
    ("do-not-call", 0.04),
)

# Shares per entry of the default lists (storage.defaults order); the rest: none.
STATUS_SHARES = (0.25, 0.18, 0.30, 0.07, 0.05, 0.05)
SOURCE_SHARES = (0.25, 0.20, 0.15, 0.10, 0.08, 0.12, 0.05)
# How a contact reached each status, as positions in the status list:
# a customer was a lead and a prospect first, and so on.
STATUS_PATHS: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((0,),),
    ((0, 1),),
    ((0, 1, 2), (0, 2), (2,)),
    ((0, 2, 3), (2, 3)),
    ((4,),),
    ((5,),),
)
